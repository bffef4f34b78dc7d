package org.cohortflow.archive.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Orthanc (Debian {@code orthanc} + {@code orthanc-dicomweb}) started as a child process for a test:
 * its configuration, storage and index live in a temporary folder, its HTTP and DICOM ports are free loopback
 * ports, remote access is off, HTTP basic authentication is on with one test user, and the DICOMweb plugin
 * serves {@code /dicom-web/}. {@link #close()} stops it. A missing Orthanc or plugin is an
 * {@link IllegalStateException} that says which package to install: tests fail, they never skip.
 */
public final class OrthancServer implements AutoCloseable {
    /** The Orthanc executable the Debian package installs. */
    public static final Path EXECUTABLE = Path.of("/usr/sbin/Orthanc");
    /** Where Debian's orthanc-dicomweb puts the plugin (the first one that exists is used). */
    public static final List<Path> DICOMWEB_PLUGINS = List.of(Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so"),
            Path.of("/usr/lib/orthanc/libOrthancDicomWeb.so"));
    /** Orthanc's own application entity title. */
    public static final String AET = "ORTHANC";
    public static final String USER = "cohortflow";
    public static final String PASSWORD = "archive-test-secret";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final int httpPort;
    private final int dicomPort;
    private final Map<String, Peer> modalities;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    /** A DICOM peer Orthanc knows (may query it, may send to it with C-MOVE or C-STORE). */
    public record Peer(String aet, String host, int port) {}

    private OrthancServer(Path folder, int httpPort, int dicomPort, Map<String, Peer> modalities) {
        this.folder = folder;
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
        this.modalities = Map.copyOf(modalities);
    }

    /** Starts Orthanc with no known DICOM peers. */
    public static OrthancServer start(Path folder) {
        return start(folder, Map.of());
    }

    /**
     * Starts Orthanc with its data in {@code folder} (created when absent) and {@code modalities} (name to
     * peer) as the DICOM peers it accepts queries and retrieves from and sends to; waits until
     * {@code /system} answers.
     */
    public static OrthancServer start(Path folder, Map<String, Peer> modalities) {
        requireInstalled();
        OrthancServer s = new OrthancServer(folder, freePort(), freePort(), modalities);
        s.launch();
        return s;
    }

    /** Throws an {@link IllegalStateException} naming what to install when Orthanc or its DICOMweb plugin is missing. */
    public static void requireInstalled() {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException("Orthanc is not installed: " + EXECUTABLE
                    + " is missing (Debian: apt-get install orthanc orthanc-dicomweb, or scripts/bootstrap.sh)");
        }
        plugin();
    }

    private static Path plugin() {
        return DICOMWEB_PLUGINS.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() -> new IllegalStateException(
                "the Orthanc DICOMweb plugin is not installed: none of " + DICOMWEB_PLUGINS
                        + " exists (Debian: apt-get install orthanc-dicomweb, or scripts/bootstrap.sh)"));
    }

    /** A free TCP port on the loopback interface (free when asked; tests start their servers at once). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private void launch() {
        try {
            Files.createDirectories(folder.resolve("storage"));
            Path config = folder.resolve("orthanc.json");
            Files.writeString(config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(configuration()));
            process = new ProcessBuilder(EXECUTABLE.toString(), "--logdir=" + folder, config.toString())
                    .redirectErrorStream(true).redirectOutput(folder.resolve("orthanc.out").toFile()).start();
            // A test JVM that dies without closing its fixtures must not leave Orthanc running.
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "stop-orthanc"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Orthanc in " + folder, e);
        }
        waitUntilUp(Duration.ofSeconds(60));
    }

    private ObjectNode configuration() {
        ObjectNode c = JSON.createObjectNode();
        c.put("Name", "cohortflow-test");
        c.put("StorageDirectory", folder.resolve("storage").toString());
        c.put("IndexDirectory", folder.resolve("storage").toString());
        c.put("HttpPort", httpPort);
        c.put("DicomPort", dicomPort);
        c.put("DicomAet", AET);
        c.put("RemoteAccessAllowed", false);
        c.put("AuthenticationEnabled", true);
        c.putObject("RegisteredUsers").put(USER, PASSWORD);
        c.putArray("Plugins").add(plugin().toString());
        c.put("DicomCheckCalledAet", false);
        c.put("DicomCheckModalityHost", false);
        c.put("DicomAlwaysAllowEcho", true);
        c.put("DicomAlwaysAllowStore", true);
        c.put("StorageCompression", false);
        c.put("SaveJobs", false);
        c.put("HttpThreadsCount", 20);
        c.put("ConcurrentJobs", 2);
        // Orthanc closes idle kept-alive connections after 1 s by default, racing clients that reuse them.
        c.put("KeepAliveTimeout", 30);
        ObjectNode mods = c.putObject("DicomModalities");
        modalities.forEach((name, p) -> {
            ArrayNode a = mods.putArray(name);
            a.add(p.aet()).add(p.host()).add(p.port());
        });
        ObjectNode web = c.putObject("DicomWeb");
        web.put("Enable", true);
        web.put("Root", "/dicom-web/");
        web.put("EnableWado", false);
        web.put("Ssl", false);
        web.put("StudiesMetadata", "Full");
        web.put("SeriesMetadata", "Full");
        return c;
    }

    private void waitUntilUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Orthanc exited with " + process.exitValue() + " at start-up: " + logTail());
            }
            try {
                HttpResponse<String> r = http.send(request("/system").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Orthanc", e);
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("Orthanc did not answer /system within " + timeout + ": " + logTail());
    }

    /** The last lines Orthanc wrote, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(folder.resolve("orthanc.out"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    /** The DICOMweb root, {@code http://127.0.0.1:PORT/dicom-web}. */
    public URI dicomWebRoot() {
        return URI.create("http://127.0.0.1:" + httpPort + "/dicom-web");
    }

    /** The same root as a {@code dicomweb://} URI, as pipelines name it. */
    public URI dicomWebUri() {
        return URI.create("dicomweb://127.0.0.1:" + httpPort + "/dicom-web");
    }

    public int httpPort() {
        return httpPort;
    }

    public int dicomPort() {
        return dicomPort;
    }

    public Path folder() {
        return folder;
    }

    /** Uploads every file below {@code root} through Orthanc's REST API ({@code POST /instances}); returns how many were stored. */
    public int upload(Path root) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        int stored = 0;
        for (Path f : files) {
            for (int attempt = 1; ; attempt++) {
                try {
                    HttpResponse<String> r = http.send(request("/instances").header("Content-Type", "application/dicom")
                            .POST(HttpRequest.BodyPublishers.ofFile(f)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) throw new IllegalStateException("Orthanc refused " + f + ": " + r.statusCode() + " " + r.body());
                    stored++;
                    break;
                } catch (IOException e) {
                    // A kept-alive connection the server has just closed: once more on a fresh one.
                    if (attempt == 3) throw new UncheckedIOException("cannot upload " + f + " to Orthanc", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        return stored;
    }

    /** GETs a REST path of Orthanc's own API (e.g. {@code /statistics}) as JSON text; an error for other than 200. */
    public String get(String path) {
        HttpResponse<String> r = send(request(path).GET().build());
        if (r.statusCode() != 200) throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    /** Sends a DELETE to Orthanc's REST API (e.g. {@code /series/ID}). */
    public void delete(String path) {
        HttpResponse<String> r = send(request(path).DELETE().build());
        if (r.statusCode() != 200) throw new IllegalStateException("DELETE " + path + ": " + r.statusCode() + " " + r.body());
    }

    /**
     * Sends once more when Orthanc closed a kept-alive connection just as the request went out ("header parser
     * received no bytes"): it then never saw the request, so repeating it cannot apply it twice.
     */
    private HttpResponse<String> send(HttpRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt == 3 || !closedBeforeAnswer(e)) throw new UncheckedIOException(request.method() + " " + request.uri().getPath(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static boolean closedBeforeAnswer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException || String.valueOf(t.getMessage()).contains("received no bytes")) return true;
        }
        return false;
    }

    /** Number of instances Orthanc holds. */
    public int instanceCount() {
        try {
            return JSON.readTree(get("/statistics")).path("CountInstances").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the process still runs. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops Orthanc (SIGTERM, then SIGKILL after 20 s) and waits for it to exit; the data folder stays. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Starts Orthanc again on the same ports and data (after {@link #close()}). */
    public void restart() {
        close();
        launch();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Modalities as a mutable map builder, for readability at call sites. */
    public static Map<String, Peer> peers(Peer... peers) {
        Map<String, Peer> m = new LinkedHashMap<>();
        for (Peer p : peers) m.put(p.aet().toLowerCase(java.util.Locale.ROOT), p);
        return m;
    }
}
