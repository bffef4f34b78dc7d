package org.cohortflow.imaging;

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
    private final String reason;

    /** A problem with {@code path}; the message is prefixed with the path. */
    public ImagingException(Path path, String message) {
        this(path, message, null);
    }

    /** A problem with {@code path} caused by {@code cause}; the message is prefixed with the path. */
    public ImagingException(Path path, String message, Throwable cause) {
        super(path == null ? message : path + ": " + message, cause);
        this.path = path;
        this.reason = message;
    }

    /** A problem not tied to one file (e.g. two in-memory volumes that do not fit together). */
    public ImagingException(String message) {
        this(null, message, null);
    }

    /** What went wrong, without the file name (for reports that show the path in a column of its own). */
    public String reason() {
        return reason;
    }

    /** The file concerned, when there is one. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }
}
