package org.cohortflow.imaging;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An image or header that cannot be read, written or combined, with the file it came from.
 *
 * <p>Unchecked so that readers can be used from lambdas and pipeline tools; every reader in this module
 * reports failures through this one type so that callers (the indexer, pipeline tools) can report the
 * offending file without knowing which format was involved.
 */
public class ImagingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final transient URI file;
    private final String reason;

    /** A problem with {@code path}; the message is prefixed with the path. */
    public ImagingException(Path path, String message) {
        this(path, message, null);
    }

    /** A problem with {@code path} caused by {@code cause}; the message is prefixed with the path. */
    public ImagingException(Path path, String message, Throwable cause) {
        super(path == null ? message : path + ": " + message, cause);
        this.path = path;
        this.file = path == null ? null : path.toAbsolutePath().toUri();
        this.reason = message;
    }

    /**
     * A problem with a file that may live outside the local file system ({@code hdfs://...}); the message is
     * prefixed with {@link #displayName(URI) its display name}.
     */
    public ImagingException(URI file, String message, Throwable cause) {
        super(file == null ? message : displayName(file) + ": " + message, cause);
        this.file = file;
        this.path = file != null && "file".equals(file.getScheme()) ? Path.of(file) : null;
        this.reason = message;
    }

    /** A problem not tied to one file (e.g. two in-memory volumes that do not fit together). */
    public ImagingException(String message) {
        this((Path) null, message, null);
    }

    /** What went wrong, without the file name (for reports that show the path in a column of its own). */
    public String reason() {
        return reason;
    }

    /** The file concerned, when there is one and it is local. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** The file concerned as an absolute URI, when there is one (local or not). */
    public Optional<URI> file() {
        return Optional.ofNullable(file);
    }

    /** How a file is named to people: the plain path of a local file, the URI of any other. */
    public static String displayName(URI file) {
        return "file".equals(file.getScheme()) ? Path.of(file).toString() : file.toString();
    }
}
