package org.cohortflow.archive.xnat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.cohortflow.archive.dicomweb.ArchiveException;
import org.cohortflow.archive.dicomweb.Auth;

/**
 * XNAT's REST API as a source of scans: list projects, subjects, experiments (sessions), scans, their resources
 * and files ({@code GET /data/...?format=json}, answered as {@code {"ResultSet": {"Result": [...]}}}), and fetch a
 * scan's resource (typically {@code DICOM}) as a zip ({@code .../files?format=zip}) unpacked into a folder.
 * Authentication is HTTP basic or an XNAT alias token (also basic), as XNAT documents.
 *
 * <p>Written against XNAT's public API documentation; not run against a real XNAT here (none can be installed).
 */
public final class XnatClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI root;
    private final Auth auth;
    private final HttpClient http;
    private final Duration timeout;

    /** One row of an XNAT result set: column name to value (all text, as XNAT sends them). */
    public record Row(Map<String, String> values) {
        public Row {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** The value of {@code column}, or an empty string. */
        public String get(String column) {
            return values.getOrDefault(column, "");
        }
    }

    /** A client of the XNAT at {@code root} (e.g. {@code https://xnat.example.org}, without {@code /data}). */
    public XnatClient(URI root, Auth auth, Duration timeout) {
        String r = root.toString();
        this.root = URI.create(r.endsWith("/") ? r.substring(0, r.length() - 1) : r);
        this.auth = auth;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** {@code GET /data/projects}: ID, name, ... */
    public List<Row> projects() {
        return rows(url("projects"));
    }

    /** {@code GET /data/projects/P/subjects}: ID, label, ... */
    public List<Row> subjects(String project) {
        return rows(url("projects", project, "subjects"));
    }

    /** {@code GET /data/projects/P/subjects/S/experiments}: ID, label, xsiType, date, ... */
    public List<Row> experiments(String project, String subject) {
        return rows(url("projects", project, "subjects", subject, "experiments"));
    }

    /** {@code GET /data/projects/P/subjects/S/experiments/E/scans}: ID, type, series_description, xsiType, ... */
    public List<Row> scans(String project, String subject, String experiment) {
        return rows(url("projects", project, "subjects", subject, "experiments", experiment, "scans"));
    }

    /** {@code GET .../scans/N/resources}: label (e.g. DICOM, NIFTI), format, file_count, ... */
    public List<Row> resources(String project, String subject, String experiment, String scan) {
        return rows(url("projects", project, "subjects", subject, "experiments", experiment, "scans", scan, "resources"));
    }

    /** {@code GET .../scans/N/resources/R/files}: Name, Size, URI, digest, ... */
    public List<Row> files(String project, String subject, String experiment, String scan, String resource) {
        return rows(url("projects", project, "subjects", subject, "experiments", experiment, "scans", scan, "resources", resource, "files"));
    }

    /**
     * Downloads a scan's resource as a zip and unpacks its files (flattened, by name) into {@code folder}, which
     * appears only when complete. Entries that would escape the folder are refused.
     */
    public List<Path> download(String project, String subject, String experiment, String scan, String resource, Path folder) {
        URI u = URI.create(url("projects", project, "subjects", subject, "experiments", experiment, "scans", scan, "resources",
                resource, "files") + "?format=zip");
        try {
            Files.createDirectories(folder.toAbsolutePath().getParent());
            Path tmp = Files.createTempDirectory(folder.toAbsolutePath().getParent(), ".xnat-");
            try {
                HttpResponse<InputStream> r = send(u, "application/zip");
                List<Path> files;
                try (InputStream body = r.body()) {
                    check(u, r, body);
                    files = unzip(body, tmp);
                }
                deleteTree(folder);
                Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
                return files.stream().map(f -> folder.resolve(tmp.relativize(f).toString())).sorted().toList();
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new ArchiveException(u, null, "GET " + u + ": " + e, e);
        }
    }

    /**
     * Unpacks a zip stream into {@code folder}, flattening paths to file names (XNAT nests them under
     * {@code experiment/scans/N-type/resources/R/files/}); an entry name that is empty or a duplicate is an error.
     */
    static List<Path> unzip(InputStream zip, Path folder) throws IOException {
        List<Path> out = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(zip)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.isDirectory()) continue;
                String name = e.getName().replace('\\', '/');
                name = name.substring(name.lastIndexOf('/') + 1);
                if (name.isEmpty() || name.equals(".") || name.equals("..")) throw new IOException("bad zip entry '" + e.getName() + "'");
                Path target = folder.resolve(name).normalize();
                if (!target.getParent().equals(folder.normalize())) throw new IOException("zip entry escapes the folder: " + e.getName());
                if (Files.exists(target)) throw new IOException("two zip entries named " + name);
                Files.copy(in, target);
                out.add(target);
            }
        }
        return out;
    }

    /** {@code root/data/SEG/SEG/...}, each segment URL-encoded. */
    URI url(String... segments) {
        StringBuilder b = new StringBuilder(root.toString()).append("/data");
        for (String s : segments) b.append('/').append(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        return URI.create(b.toString());
    }

    private List<Row> rows(URI base) {
        URI u = URI.create(base + "?format=json");
        try {
            HttpResponse<InputStream> r = send(u, "application/json");
            try (InputStream body = r.body()) {
                check(u, r, body);
                return parse(JSON.readTree(body), u);
            }
        } catch (IOException e) {
            throw new ArchiveException(u, null, "GET " + u + ": " + e, e);
        }
    }

    /** The rows of an XNAT {@code {"ResultSet": {"Result": [...]}}} document. */
    static List<Row> parse(JsonNode doc, URI from) {
        JsonNode result = doc.path("ResultSet").path("Result");
        if (!result.isArray()) throw new ArchiveException(from, null, "GET " + from + ": not an XNAT result set (no ResultSet.Result array)");
        List<Row> rows = new ArrayList<>();
        for (JsonNode item : result) {
            Map<String, String> m = new LinkedHashMap<>();
            item.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().isNull() ? "" : f.getValue().asText()));
            rows.add(new Row(m));
        }
        return rows;
    }

    private HttpResponse<InputStream> send(URI u, String accept) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(u).timeout(timeout).header("Accept", accept).GET();
        auth.header().ifPresent(h -> b.header("Authorization", h));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchiveException(u, null, "GET " + u + ": interrupted", e);
        }
    }

    private static void check(URI u, HttpResponse<InputStream> r, InputStream body) throws IOException {
        int s = r.statusCode();
        if (s >= 200 && s < 300) return;
        String said = new String(body.readNBytes(300), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        throw new ArchiveException(u, s, "GET " + u + ": HTTP " + s + (s == 401 ? " (not authenticated: check the XNAT user and password or alias token)" : "")
                + (said.isEmpty() ? "" : " (XNAT said: " + said + ")"));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
