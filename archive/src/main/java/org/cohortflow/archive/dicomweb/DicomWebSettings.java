package org.cohortflow.archive.dicomweb;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a DICOMweb service is and how to talk to it.
 *
 * @param root           the service root, e.g. {@code http://pacs:8042/dicom-web} (no trailing slash)
 * @param auth           how to authenticate
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for a response's headers
 * @param attempts       tries per request (1 = no retry); retried on connection errors, 5xx and 429
 * @param firstBackoff   the pause before the first retry; doubled before each further one
 */
public record DicomWebSettings(URI root, Auth auth, Duration connectTimeout, Duration requestTimeout, int attempts,
                               Duration firstBackoff) {
    public DicomWebSettings {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(auth, "auth");
        String r = root.toString();
        if (r.endsWith("/")) root = URI.create(r.substring(0, r.length() - 1));
        if (!"http".equals(root.getScheme()) && !"https".equals(root.getScheme())) {
            throw new IllegalArgumentException("a DICOMweb root is an http(s) URL, not " + r);
        }
        if (attempts < 1) throw new IllegalArgumentException("attempts must be >= 1: " + attempts);
    }

    /** Defaults: 10 s to connect, 60 s for a response, 3 attempts starting with a 250 ms back-off. */
    public static DicomWebSettings of(URI root, Auth auth) {
        return new DicomWebSettings(root, auth, Duration.ofSeconds(10), Duration.ofSeconds(60), 3, Duration.ofMillis(250));
    }

    public DicomWebSettings withTimeouts(Duration connect, Duration request) {
        return new DicomWebSettings(root, auth, connect, request, attempts, firstBackoff);
    }

    public DicomWebSettings withRetries(int attempts, Duration firstBackoff) {
        return new DicomWebSettings(root, auth, connectTimeout, requestTimeout, attempts, firstBackoff);
    }
}
