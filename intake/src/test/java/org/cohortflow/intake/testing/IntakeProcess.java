package org.cohortflow.intake.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.intake.IntakeService;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;

/**
 * An intake in a JVM of its own (H2 file database under its data folder), so that a test can kill it with
 * SIGKILL in the middle of a transfer and start it again on the same data.
 */
public final class IntakeProcess implements AutoCloseable {
    private final Process process;
    private final String baseUri;

    private IntakeProcess(Process process, String baseUri) {
        this.process = process;
        this.baseUri = baseUri;
    }

    /** Child side: {@code DATA-DIR PROFILE DICOM-PORT DICOMWEB-URL USER PASSWORD DB-URL DB-USER DB-PASSWORD}. */
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        java.util.Map<String, Object> settings = new java.util.LinkedHashMap<>();
        settings.put("profile", args[1]);
        settings.put("dicom", java.util.Map.of("port", args[2], "aet", "INTAKE"));
        settings.put("forward", java.util.Map.of("dicomweb", java.util.Map.of("url", args[3], "user", args[4],
                "password", args[5])));
        settings.put("retry", java.util.Map.of("firstSeconds", "0", "maxSeconds", "2"));
        ServiceConfig config = new ServiceConfig(IntakeService.NAME, "127.0.0.1", 0, data,
                new DatabaseSettings(args[6], args[7], args[8]),
                new BootstrapAdmin("admin", IntakeFixture.ADMIN_PASSWORD), null, settings);
        IntakeService.Running r = new IntakeService().start(config);
        System.out.println("READY " + r.baseUri());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Starts an intake process on {@code db} and waits until it answers (at most 2 minutes). */
    public static IntakeProcess start(Path data, Path profile, int dicomPort, java.net.URI dicomWeb, Auth.Basic auth,
                                      DatabaseSettings db) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), IntakeProcess.class.getName(), data.toString(),
                profile.toString(), Integer.toString(dicomPort), dicomWeb.toString(), auth.user(), auth.password(), db.url(),
                db.user(), db.password()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("READY ")) {
                String uri = line.substring(6).trim();
                // Keep reading its output so that the child never blocks on a full pipe.
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discarded
                        }
                    } catch (IOException e) {
                        // the child is gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new IntakeProcess(p, uri);
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the intake process did not start:\n" + seen);
    }

    /** Where its REST API answers. */
    public java.net.URI baseUri() {
        return java.net.URI.create(baseUri);
    }

    /** Kills the process at once (SIGKILL), as {@code kill -9} does. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
