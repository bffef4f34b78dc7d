package org.cohortflow.tasks.images;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

/**
 * Opens a task's image for streaming to the viewer: a local file, an http(s) URL fetched by the service, or a
 * DICOMweb series read and turned into one NIfTI volume.
 */
public final class ImageFetcher {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final DicomWebSeries dicomWeb;

    /** @param logins credentials for DICOMweb archives (settings {@code dicomWeb}) */
    public ImageFetcher(java.util.List<DicomWebLogin> logins) {
        this.dicomWeb = new DicomWebSeries(client, logins);
    }

    /** An opened image: its bytes and, when known, their length. */
    public record Opened(InputStream body, long length) {
    }

    /** Opens {@code location}; an {@link IOException} says why it could not be read. */
    public Opened open(ImageLocation location) throws IOException {
        if (location instanceof ImageLocation.LocalFile f) {
            return new Opened(Files.newInputStream(f.path()), Files.size(f.path()));
        }
        if (location instanceof ImageLocation.DicomWeb series) {
            byte[] nifti = dicomWeb.readAsNifti(series.series());
            return new Opened(new java.io.ByteArrayInputStream(nifti), nifti.length);
        }
        ImageLocation.Web web = (ImageLocation.Web) location;
        HttpRequest request = HttpRequest.newBuilder(web.uri()).timeout(Duration.ofMinutes(2)).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() / 100 != 2) {
                response.body().close();
                throw new IOException(web.uri() + " answered HTTP " + response.statusCode());
            }
            return new Opened(response.body(), response.headers().firstValueAsLong("Content-Length").orElse(-1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + web.uri(), e);
        }
    }
}
