package org.cohortflow.tasks.images;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Decides which image URLs a task may name, so the service never serves arbitrary files: a {@code file:} URL
 * (or absolute path) must resolve, after following links, to a regular file inside one of the configured
 * roots; otherwise only {@code http}/{@code https} URLs are accepted, and a DICOMweb series
 * ({@code ROOT/studies/UID/series/UID} over http(s), or {@code dicomweb://HOST:PORT/ROOT/studies/...}). Checked when a task is created and
 * again each time an image is served (a link could have been changed in between).
 */
public final class DataRoots {
    /** The path of a DICOMweb series resource. */
    private static final java.util.regex.Pattern SERIES = java.util.regex.Pattern.compile(".*/studies/[0-9.]+/series/[0-9.]+");
    private final List<Path> roots;

    /** @param roots folders whose files tasks may show; each must exist */
    public DataRoots(List<Path> roots) {
        this.roots = roots.stream().map(DataRoots::real).toList();
    }

    private static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("data root " + root + " does not exist");
        }
    }

    /** The roots, resolved. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * Checks an image URL and says where it is.
     *
     * @throws IllegalArgumentException with a message for the client when the URL is not allowed
     */
    public ImageLocation resolve(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("the image URL is empty");
        String lower = url.toLowerCase(Locale.ROOT);
        boolean dicomWeb = lower.startsWith("dicomweb://") || lower.startsWith("dicomwebs://");
        if (dicomWeb) {
            // as pipelines name archives: dicomweb://HOST:PORT/ROOT is http, dicomwebs:// https
            url = (lower.startsWith("dicomwebs://") ? "https" : "http") + url.substring(url.indexOf("://"));
            lower = url.toLowerCase(Locale.ROOT);
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                URI uri = new URI(url.replaceAll("/+$", ""));
                if (uri.getHost() == null) throw new IllegalArgumentException("the URL has no host: " + url);
                if (SERIES.matcher(uri.getPath() == null ? "" : uri.getPath()).matches()) {
                    return new ImageLocation.DicomWeb(uri);
                }
                if (dicomWeb) {
                    throw new IllegalArgumentException("a dicomweb:// image must name a series, ROOT/studies/UID/series/UID: " + url);
                }
                return new ImageLocation.Web(uri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a valid URL: " + url);
            }
        }
        Path path;
        try {
            path = lower.startsWith("file:") ? Path.of(new URI(url)) : Path.of(url);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid file URL: " + url);
        }
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("a file must be given as an absolute path or file: URL, found " + url);
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("no such file: " + path);
        }
        if (roots.stream().noneMatch(real::startsWith)) {
            throw new IllegalArgumentException(path + " is outside the allowed data roots"
                    + (roots.isEmpty() ? " (none are configured: settings.dataRoots)" : ""));
        }
        if (!Files.isRegularFile(real)) throw new IllegalArgumentException("not a file: " + path);
        return new ImageLocation.LocalFile(real);
    }
}
