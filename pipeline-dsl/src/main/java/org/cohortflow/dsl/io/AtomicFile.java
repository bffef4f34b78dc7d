package org.cohortflow.dsl.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Local result files (tables, indexes, sample sheets) written so that a reader, or a run killed halfway,
 * sees the old file, no file, or the complete new one: never a partial file that looks complete.
 * The content goes to a hidden sibling first, which is then renamed into place.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Writes the content of a file, given the path to write it to. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    /** Writes text content, given a writer (closed afterwards by {@link #writeText}). */
    @FunctionalInterface
    public interface Text {
        void writeTo(Writer out) throws IOException;
    }

    /**
     * Lets {@code content} write a hidden temporary sibling of {@code file}, then renames it to {@code file},
     * replacing what is there. Parent folders are created. When writing fails the temporary is removed and
     * an existing {@code file} is left as it was.
     */
    public static void write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: its owner-only permissions would stay with the result, which is for other tools too.
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            content.writeTo(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #write} of UTF-8 text. */
    public static void writeText(Path file, Text text) throws IOException {
        write(file, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                text.writeTo(w);
            }
        });
    }
}
