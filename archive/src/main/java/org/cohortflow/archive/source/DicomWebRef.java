package org.cohortflow.archive.source;

import java.net.URI;
import java.util.Optional;

/**
 * A place in a DICOMweb archive as pipelines name it: {@code dicomweb://HOST[:PORT]/ROOT} (plain HTTP) or
 * {@code dicomwebs://...} (HTTPS), optionally followed by {@code /studies/UID}, {@code /series/UID} and
 * {@code /instances/UID}. {@code http(s)://} URLs of the same shape are accepted on input. The service root is
 * everything before {@code /studies/}.
 *
 * @param httpRoot  the service root as an http(s) URL, without a trailing slash
 * @param studyUid  StudyInstanceUID, if the reference is below a study
 * @param seriesUid SeriesInstanceUID, if below a series
 * @param sopUid    SOPInstanceUID, if it names one instance
 */
public record DicomWebRef(URI httpRoot, Optional<String> studyUid, Optional<String> seriesUid, Optional<String> sopUid) {

    /** The URI schemes that name DICOMweb archives. */
    public static final String SCHEME = "dicomweb";
    public static final String SECURE_SCHEME = "dicomwebs";

    /** Whether {@code uri} uses a DICOMweb scheme. */
    public static boolean isDicomWeb(URI uri) {
        return SCHEME.equals(uri.getScheme()) || SECURE_SCHEME.equals(uri.getScheme());
    }

    /** Whether {@code text} is a URI that can name a DICOMweb archive (dicomweb, dicomwebs, http, https). */
    public static boolean looksLikeArchive(String text) {
        return text.matches("(?i)^(dicomwebs?|https?)://.+");
    }

    /** Parses a {@code dicomweb(s)://} or {@code http(s)://} reference; an {@link IllegalArgumentException} naming it otherwise. */
    public static DicomWebRef parse(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        String http = switch (scheme) {
            case SCHEME, "http" -> "http";
            case SECURE_SCHEME, "https" -> "https";
            default -> throw new IllegalArgumentException(uri + ": not a DICOMweb reference (dicomweb://HOST/ROOT[/studies/UID[/series/UID[/instances/UID]]])");
        };
        if (uri.getRawAuthority() == null) throw new IllegalArgumentException(uri + ": no host");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int at = path.indexOf("/studies/");
        if (at < 0 && path.matches(".*/(series|instances)/[0-9.]+/?$")) {
            throw new IllegalArgumentException(uri + ": a series needs its study (ROOT/studies/UID/series/UID)");
        }
        String rootPath = at < 0 ? path : path.substring(0, at);
        if (rootPath.endsWith("/")) rootPath = rootPath.substring(0, rootPath.length() - 1);
        Optional<String> study = Optional.empty();
        Optional<String> series = Optional.empty();
        Optional<String> sop = Optional.empty();
        if (at >= 0) {
            String[] parts = path.substring(at + 1).split("/");
            for (int i = 0; i + 1 < parts.length; i += 2) {
                String uid = requireUid(uri, parts[i + 1]);
                switch (parts[i]) {
                    case "studies" -> study = Optional.of(uid);
                    case "series" -> series = Optional.of(uid);
                    case "instances" -> sop = Optional.of(uid);
                    default -> throw new IllegalArgumentException(uri + ": unexpected path element '" + parts[i] + "'");
                }
            }
            if (parts.length % 2 != 0) throw new IllegalArgumentException(uri + ": '" + parts[parts.length - 1] + "' without a UID");
            if (series.isPresent() && study.isEmpty() || sop.isPresent() && series.isEmpty()) {
                throw new IllegalArgumentException(uri + ": a series needs its study, an instance its series");
            }
        }
        return new DicomWebRef(URI.create(http + "://" + uri.getRawAuthority() + rootPath), study, series, sop);
    }

    private static String requireUid(URI uri, String s) {
        if (!s.matches("[0-9]+(\\.[0-9]+)*")) throw new IllegalArgumentException(uri + ": '" + s + "' is not a DICOM UID");
        return s;
    }

    /** The same archive root with a series. */
    public static DicomWebRef series(URI httpRoot, String studyUid, String seriesUid) {
        return new DicomWebRef(httpRoot, Optional.of(studyUid), Optional.of(seriesUid), Optional.empty());
    }

    /** The same archive root with an instance. */
    public static DicomWebRef instance(URI httpRoot, String studyUid, String seriesUid, String sopUid) {
        return new DicomWebRef(httpRoot, Optional.of(studyUid), Optional.of(seriesUid), Optional.of(sopUid));
    }

    /** The reference as a {@code dicomweb(s)://} URI, the form sample sheets and sources hold. */
    public URI toUri() {
        String scheme = "https".equals(httpRoot.getScheme()) ? SECURE_SCHEME : SCHEME;
        StringBuilder b = new StringBuilder(scheme).append("://").append(httpRoot.getRawAuthority())
                .append(httpRoot.getRawPath() == null ? "" : httpRoot.getRawPath());
        studyUid.ifPresent(u -> b.append("/studies/").append(u));
        seriesUid.ifPresent(u -> b.append("/series/").append(u));
        sopUid.ifPresent(u -> b.append("/instances/").append(u));
        return URI.create(b.toString());
    }

    /** The archive's root as a {@code dicomweb(s)://} URI (credentials are never part of it). */
    public URI rootUri() {
        return new DicomWebRef(httpRoot, Optional.empty(), Optional.empty(), Optional.empty()).toUri();
    }

    @Override
    public String toString() {
        return toUri().toString();
    }
}
