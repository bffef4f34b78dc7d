package org.cohortflow.archive.dicomweb;

import java.net.URI;
import java.util.Optional;

/**
 * An archive could not do what was asked: the message names the archive URL (or DICOM peer), the request and
 * the cause; {@link #status()} is the HTTP status when the archive answered at all.
 */
public class ArchiveException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final URI url;
    private final Integer status;

    public ArchiveException(URI url, Integer status, String message, Throwable cause) {
        super(message, cause);
        this.url = url;
        this.status = status;
    }

    public ArchiveException(URI url, Integer status, String message) {
        this(url, status, message, null);
    }

    /** The URL (or {@code dicom://AET@host:port}) of the request that failed. */
    public URI url() {
        return url;
    }

    /** The HTTP status the archive answered with, when it answered. */
    public Optional<Integer> status() {
        return Optional.ofNullable(status);
    }
}
