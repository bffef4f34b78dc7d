package org.cohortflow.imaging.index;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A tree of files that cohort discovery walks and reads: a local folder ({@link #local(Path)}), or any
 * other storage a caller adapts, such as a Hadoop file system ({@code hdfs://}, {@code s3a://}; the
 * {@code cohortflow} command has that adapter). Implementations must be safe to use from several threads:
 * the indexer opens files in parallel.
 *
 * <p>Files are named by absolute URIs throughout, so that index rows, failures and samples say where a
 * file is whatever storage it lives on.
 */
public interface FileTree {

    /** The root as an absolute URI: a folder, or a single file. */
    URI root();

    /**
     * Every regular file under the root (the root itself when it is a file), sorted by URI. Folders that
     * cannot be listed are passed to {@code unreadable} with the reason, and the walk goes on.
     *
     * @throws IOException when the root itself does not exist or cannot be read
     */
    List<URI> files(BiConsumer<URI, String> unreadable) throws IOException;

    /** Opens one file for reading by position; the caller closes it. */
    SeekableByteChannel open(URI file) throws IOException;

    /** The folder tree (or single file) at {@code root} on the local file system. */
    static FileTree local(Path root) {
        return new LocalFileTree(root);
    }
}
