package org.cohortflow.imaging.index;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.BiConsumer;

/** A {@link FileTree} on the local file system. */
final class LocalFileTree implements FileTree {
    private final Path root;

    LocalFileTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public URI root() {
        return root.toUri();
    }

    @Override
    public List<URI> files(BiConsumer<URI, String> unreadable) throws IOException {
        if (!Files.exists(root)) throw new FileNotFoundException("no such file or folder");
        List<URI> files = new ArrayList<>();
        // Links are followed: archives often link series into patient folders, and a link that is skipped
        // is a file silently missing from the cohort. A link loop is reported, not followed forever.
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) files.add(file.toUri());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                String why = exc instanceof FileSystemLoopException ? "link loop: leads back to a folder above it"
                        : "cannot read: " + exc;
                unreadable.accept(file.toUri(), why);
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        return files;
    }

    @Override
    public SeekableByteChannel open(URI file) throws IOException {
        return FileChannel.open(Path.of(file), StandardOpenOption.READ);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
