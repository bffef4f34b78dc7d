package org.cohortflow.archive.dimse;

import java.net.URI;
import java.util.Optional;

/**
 * A series or instance of a DIMSE archive as pipelines name it: {@code dicom://AET@HOST:PORT/studies/S/series/X}
 * (optionally {@code /instances/I}). The AE title is the archive's (the called AE); the calling AE comes from run
 * settings.
 */
public record DimseRef(DimsePeer peer, String studyUid, String seriesUid, Optional<String> sopUid) {
    public static final String SCHEME = "dicom";

    /** Parses a {@code dicom://} reference; an {@link IllegalArgumentException} naming it when malformed. */
    public static DimseRef parse(URI uri) {
        if (!SCHEME.equals(uri.getScheme()) || uri.getUserInfo() == null || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException(uri + ": not a DIMSE reference (dicom://AET@HOST:PORT/studies/UID/series/UID)");
        }
        String[] parts = uri.getPath() == null ? new String[0] : uri.getPath().replaceFirst("^/", "").split("/");
        if ((parts.length != 4 && parts.length != 6) || !parts[0].equals("studies") || !parts[2].equals("series")
                || parts.length == 6 && !parts[4].equals("instances")) {
            throw new IllegalArgumentException(uri + ": expected /studies/UID/series/UID[/instances/UID]");
        }
        for (int i = 1; i < parts.length; i += 2) {
            if (!parts[i].matches("[0-9]+(\\.[0-9]+)*")) throw new IllegalArgumentException(uri + ": '" + parts[i] + "' is not a DICOM UID");
        }
        return new DimseRef(new DimsePeer(uri.getUserInfo(), uri.getHost(), uri.getPort()), parts[1], parts[3],
                parts.length == 6 ? Optional.of(parts[5]) : Optional.empty());
    }

    /** The reference as a URI. */
    public URI toUri() {
        return URI.create(SCHEME + "://" + peer.aet() + "@" + peer.host() + ":" + peer.port() + "/studies/" + studyUid + "/series/"
                + seriesUid + sopUid.map(s -> "/instances/" + s).orElse(""));
    }
}
