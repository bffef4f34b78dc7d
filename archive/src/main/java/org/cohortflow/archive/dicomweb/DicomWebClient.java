package org.cohortflow.archive.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A DICOMweb client (PS3.18) on the JDK's {@link HttpClient}: QIDO-RS searches with paging, WADO-RS retrieval of
 * series and instances (streamed from {@code multipart/related} to files) and of metadata, and STOW-RS stores.
 *
 * <p>Every request carries the settings' authentication and timeouts (the request timeout bounds the wait for the
 * response headers and, separately, any pause in the middle of a body). Connection errors, timeouts, HTTP 5xx and
 * 429 are retried with a doubling back-off (GETs and STOW-RS alike: DICOM stores are idempotent by SOP Instance
 * UID). Every failure is an {@link ArchiveException} naming the method, the URL, the status and what the archive
 * said. Thread-safe.
 */
public final class DicomWebClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DICOM_JSON = "application/dicom+json";

    private final DicomWebSettings settings;
    private final HttpClient http;

    public DicomWebClient(DicomWebSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public DicomWebSettings settings() {
        return settings;
    }

    // ---- QIDO-RS ----

    /** Studies matching {@code query} (one page, as the query's limit/offset say). */
    public List<DicomJson> searchStudies(QidoQuery query) {
        return search(url("/studies", query));
    }

    /** Series of all studies matching {@code query} (one page). */
    public List<DicomJson> searchSeries(QidoQuery query) {
        return search(url("/series", query));
    }

    /** Series of one study matching {@code query} (one page). */
    public List<DicomJson> searchSeries(String studyUid, QidoQuery query) {
        return search(url("/studies/" + studyUid + "/series", query));
    }

    /** Instances of one series matching {@code query} (one page). */
    public List<DicomJson> searchInstances(String studyUid, String seriesUid, QidoQuery query) {
        return search(url("/studies/" + studyUid + "/series/" + seriesUid + "/instances", query));
    }

    /** Instances of all studies matching {@code query} (one page). */
    public List<DicomJson> searchInstances(QidoQuery query) {
        return search(url("/instances", query));
    }

    /** The search levels of QIDO-RS. */
    public enum Level { STUDIES, SERIES, INSTANCES }

    /**
     * Every result of {@code query} at {@code level} (all studies), fetched in pages of {@code pageSize} until a
     * page comes back short: archives cap result counts, and paging keeps each response small.
     */
    public List<DicomJson> searchAll(Level level, QidoQuery query, int pageSize) {
        if (pageSize < 1) throw new IllegalArgumentException("pageSize must be >= 1");
        String path = "/" + level.name().toLowerCase(java.util.Locale.ROOT);
        List<DicomJson> all = new ArrayList<>();
        for (int offset = query.offset(); ; offset += pageSize) {
            List<DicomJson> page = search(url(path, query.page(pageSize, offset)));
            all.addAll(page);
            if (page.size() < pageSize) return all;
        }
    }

    private List<DicomJson> search(URI url) {
        return withRetries("GET", url, () -> {
            HttpResponse<InputStream> r = send(get(url, DICOM_JSON + ", application/json"));
            try (InputStream body = r.body()) {
                if (r.statusCode() == 204) return List.of();
                requireOk("GET", url, r, body);
                JsonNode root = JSON.readTree(body);
                if (root == null || root.isMissingNode()) return List.of();
                if (!root.isArray()) throw new ArchiveException(url, r.statusCode(), "GET " + url + ": expected a JSON array of datasets, got " + root.getNodeType());
                List<DicomJson> out = new ArrayList<>();
                root.forEach(n -> out.add(new DicomJson(n)));
                return out;
            }
        });
    }

    // ---- WADO-RS ----

    /** The metadata (every attribute but bulk data) of every instance of a series. */
    public List<DicomJson> seriesMetadata(String studyUid, String seriesUid) {
        URI url = url("/studies/" + studyUid + "/series/" + seriesUid + "/metadata", QidoQuery.all());
        return search(url);
    }

    /** The metadata of one instance. */
    public DicomJson instanceMetadata(String studyUid, String seriesUid, String sopUid) {
        List<DicomJson> all = search(url("/studies/" + studyUid + "/series/" + seriesUid + "/instances/" + sopUid + "/metadata", QidoQuery.all()));
        if (all.size() != 1) {
            throw new ArchiveException(settings.root(), null, "instance " + sopUid + " of " + settings.root() + ": expected one metadata dataset, got " + all.size());
        }
        return all.get(0);
    }

    /**
     * Retrieves every instance of a series into {@code folder} as {@code <SOPInstanceUID>.dcm} files, in their
     * original transfer syntax. The files appear only when the whole response has arrived: they are written to
     * a hidden temporary folder first, so a failed or cut-off retrieval leaves nothing that looks complete.
     *
     * @return the files written, sorted
     */
    public List<Path> retrieveSeries(String studyUid, String seriesUid, Path folder) {
        return retrieve(url("/studies/" + studyUid + "/series/" + seriesUid, QidoQuery.all()), folder);
    }

    /** Retrieves one instance into {@code folder} (as {@link #retrieveSeries}); returns its file. */
    public Path retrieveInstance(String studyUid, String seriesUid, String sopUid, Path folder) {
        List<Path> files = retrieve(url("/studies/" + studyUid + "/series/" + seriesUid + "/instances/" + sopUid, QidoQuery.all()), folder);
        if (files.size() != 1) throw new ArchiveException(settings.root(), null, "instance " + sopUid + ": expected one part, got " + files.size());
        return files.get(0);
    }

    /** Retrieves one instance as bytes (for small objects such as an RTSTRUCT). */
    public byte[] retrieveInstanceBytes(String studyUid, String seriesUid, String sopUid) {
        URI url = url("/studies/" + studyUid + "/series/" + seriesUid + "/instances/" + sopUid, QidoQuery.all());
        return withRetries("GET", url, () -> {
            HttpResponse<InputStream> r = send(get(url, "multipart/related; type=\"application/dicom\"; transfer-syntax=*"));
            try (InputStream body = r.body()) {
                requireOk("GET", url, r, body);
                try (MultipartReader parts = reader(url, r)) {
                    if (parts.next().isEmpty()) throw new ArchiveException(url, r.statusCode(), "GET " + url + ": the response holds no part");
                    byte[] b = parts.body();
                    if (!parts.complete()) throw new ArchiveException(url, r.statusCode(), "GET " + url + ": expected one part, got more");
                    return b;
                }
            }
        });
    }

    private List<Path> retrieve(URI url, Path folder) {
        return withRetries("GET", url, () -> {
            Files.createDirectories(folder);
            Path tmp = Files.createTempDirectory(folder, ".wado-");
            try {
                HttpResponse<InputStream> r = send(get(url, "multipart/related; type=\"application/dicom\"; transfer-syntax=*"));
                List<Path> parts = new ArrayList<>();
                try (InputStream body = r.body()) {
                    requireOk("GET", url, r, body);
                    try (MultipartReader reader = reader(url, r)) {
                        for (Optional<Map<String, String>> h; (h = reader.next()).isPresent(); ) {
                            Path part = tmp.resolve(String.format("part-%06d.dcm", parts.size()));
                            try (OutputStream out = Files.newOutputStream(part)) {
                                reader.copyBody(out);
                            }
                            parts.add(part);
                        }
                    }
                }
                // Every part is checked before any is moved: a bad part leaves the folder as it was.
                List<Path> targets = new ArrayList<>();
                for (Path p : parts) {
                    String sop = DicomParts.sopInstanceUid(p).orElseThrow(() -> new ArchiveException(url, null,
                            "GET " + url + ": a part is not a DICOM object with a SOP Instance UID"));
                    targets.add(folder.resolve(DicomParts.fileName(sop)));
                }
                List<Path> out = new ArrayList<>();
                for (int i = 0; i < parts.size(); i++) {
                    Files.move(parts.get(i), targets.get(i), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    out.add(targets.get(i));
                }
                out.sort(Comparator.naturalOrder());
                return out;
            } finally {
                deleteTree(tmp);
            }
        });
    }

    private static MultipartReader reader(URI url, HttpResponse<InputStream> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/related")) {
            throw new ArchiveException(url, r.statusCode(), "GET " + url + ": expected multipart/related, got '" + type + "'");
        }
        String boundary = MultipartReader.boundary(type).orElseThrow(() -> new ArchiveException(url, r.statusCode(),
                "GET " + url + ": multipart response without a boundary"));
        return new MultipartReader(r.body(), boundary);
    }

    // ---- STOW-RS ----

    /** What a STOW-RS store did: SOP Instance UIDs stored, and failures with their reason codes. */
    public record StoreResult(List<String> stored, List<String> failed) {
        public StoreResult {
            stored = List.copyOf(stored);
            failed = List.copyOf(failed);
        }
    }

    /** Stores DICOM files with STOW-RS ({@code POST /studies}); an error when the archive refuses any. */
    public StoreResult store(List<Path> files) {
        List<byte[]> objects = new ArrayList<>();
        for (Path f : files) {
            try {
                objects.add(Files.readAllBytes(f));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
        }
        return storeBytes(objects);
    }

    /** Stores DICOM objects (Part 10 bytes) with STOW-RS; an error when the archive refuses any. */
    public StoreResult storeBytes(List<byte[]> objects) {
        URI url = url("/studies", QidoQuery.all());
        String boundary = "cohortflow-" + UUID.randomUUID();
        List<byte[]> body = new ArrayList<>();
        for (byte[] o : objects) {
            body.add(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            body.add(o);
            body.add("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        body.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return withRetries("POST", url, () -> {
            HttpRequest req = base(url).header("Accept", DICOM_JSON + ", application/json")
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArrays(body)).build();
            HttpResponse<InputStream> r = send(req);
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200 && r.statusCode() != 202 && r.statusCode() != 409) requireOk("POST", url, r, in);
                byte[] raw = in.readAllBytes();
                DicomJson result = raw.length == 0 ? new DicomJson(JSON.createObjectNode()) : new DicomJson(JSON.readTree(raw));
                List<String> stored = new ArrayList<>();
                for (DicomJson item : result.sequence("00081199")) stored.add(item.string("00081155"));
                List<String> failed = new ArrayList<>();
                for (DicomJson item : result.sequence("00081198")) failed.add(item.string("00081155") + " (reason " + item.string("00081197") + ")");
                if (!failed.isEmpty() || r.statusCode() == 409) {
                    throw new ArchiveException(url, r.statusCode(), "POST " + url + ": the archive refused " + failed.size()
                            + " of " + objects.size() + " objects: " + String.join(", ", failed));
                }
                return new StoreResult(stored, failed);
            }
        });
    }

    // ---- plumbing ----

    /** {@code root + path + ?query}, with the root's own path kept. */
    public URI url(String path, QidoQuery query) {
        String q = query.toQueryString();
        return URI.create(settings.root() + path + (q.isEmpty() ? "" : "?" + q));
    }

    private HttpRequest.Builder base(URI url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(settings.requestTimeout());
        settings.auth().header().ifPresent(h -> b.header("Authorization", h));
        return b;
    }

    private HttpRequest get(URI url, String accept) {
        return base(url).header("Accept", accept).GET().build();
    }

    private HttpResponse<InputStream> send(HttpRequest req) throws IOException {
        try {
            long stall = settings.requestTimeout().toMillis();
            return http.send(req, info -> new TimedBody(stall));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchiveException(req.uri(), null, req.method() + " " + req.uri() + ": interrupted", e);
        }
    }

    /** Throws for anything but 2xx: 5xx and 429 as {@link Retryable}, the rest as final {@link ArchiveException}s. */
    private static void requireOk(String method, URI url, HttpResponse<InputStream> r, InputStream body) throws IOException {
        int s = r.statusCode();
        if (s >= 200 && s < 300) return;
        String said = new String(body.readNBytes(500), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        String what = switch (s) {
            case 401 -> "not authenticated (401): check the archive user and password or token";
            case 403 -> "forbidden (403): the archive user may not do this";
            case 404 -> "not found (404): no such study, series or instance, or no DICOMweb service at this URL";
            default -> "HTTP " + s;
        };
        String message = method + " " + url + ": " + what + (said.isEmpty() ? "" : " (the archive said: " + said + ")");
        if (s >= 500 || s == 429) throw new Retryable(new ArchiveException(url, s, message));
        throw new ArchiveException(url, s, message);
    }

    /** A failure worth another attempt. */
    private static final class Retryable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Retryable(ArchiveException e) {
            super(e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T withRetries(String method, URI url, Call<T> call) {
        long pause = settings.firstBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            ArchiveException failure;
            try {
                return call.run();
            } catch (Retryable e) {
                failure = (ArchiveException) e.getCause();
            } catch (ArchiveException e) {
                throw e;
            } catch (IOException e) {
                failure = new ArchiveException(url, null, method + " " + url + ": " + describe(e), e);
            } catch (UncheckedIOException e) {
                failure = new ArchiveException(url, null, method + " " + url + ": " + describe(e.getCause()), e.getCause());
            }
            if (attempt >= settings.attempts()) {
                if (settings.attempts() == 1) throw failure;
                throw new ArchiveException(failure.url(), failure.status().orElse(null),
                        failure.getMessage() + " (after " + attempt + " attempts)", failure.getCause() != null ? failure.getCause() : failure);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
            pause *= 2;
        }
    }

    private static String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) return "the archive did not accept a connection in time (" + e.getMessage() + ")";
        if (e instanceof HttpTimeoutException) return "the archive did not answer in time (" + e.getMessage() + ")";
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return "cannot connect: the archive is down or unreachable (" + e + ")";
        }
        if (e instanceof MultipartReader.TruncatedException) return e.getMessage();
        return e.toString();
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        } catch (IOException e) {
            // A temporary folder that cannot be removed is hidden (a dot name) and harmless.
        }
    }
}
