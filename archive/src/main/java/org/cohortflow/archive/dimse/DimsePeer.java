package org.cohortflow.archive.dimse;

import java.net.URI;
import java.util.Objects;

/**
 * A DICOM application entity on the network.
 *
 * @param aet  its application entity title (at most 16 characters)
 * @param host host name or address
 * @param port TCP port
 */
public record DimsePeer(String aet, String host, int port) {
    public DimsePeer {
        Objects.requireNonNull(aet, "aet");
        Objects.requireNonNull(host, "host");
        if (aet.isBlank() || aet.length() > 16) throw new IllegalArgumentException("an AE title has 1 to 16 characters: '" + aet + "'");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** The peer as {@code dicom://AET@host:port}, the form errors name it by. */
    public URI uri() {
        return URI.create("dicom://" + aet + "@" + host + ":" + port);
    }

    @Override
    public String toString() {
        return uri().toString();
    }
}
