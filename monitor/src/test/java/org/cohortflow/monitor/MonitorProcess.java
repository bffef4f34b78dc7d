package org.cohortflow.monitor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;

/**
 * A monitor in a JVM of its own, so that a test can kill it with SIGKILL and start it again on the same
 * database and port. The first start creates the user {@code reporter} (manager) and writes its token to a file.
 */
public final class MonitorProcess implements AutoCloseable {
    private final Process process;

    private MonitorProcess(Process process) {
        this.process = process;
    }

    /** Child side: {@code DB-URL DATA-DIR PORT TOKEN-FILE}. */
    public static void main(String[] args) throws Exception {
        ServiceConfig config = new ServiceConfig("monitor", "127.0.0.1", Integer.parseInt(args[2]), Path.of(args[1]),
                new DatabaseSettings(args[0], "sa", ""), new BootstrapAdmin("admin", "admin-password"), null, Map.of());
        MonitorService.Running r = new MonitorService().start(config);
        Path tokenFile = Path.of(args[3]);
        if (!Files.exists(tokenFile)) {
            String token = r.kit().database().inTransaction(h -> {
                r.kit().users().create(h, "reporter", "reporter-password", EnumSet.of(Role.MANAGER));
                r.kit().users().create(h, "viewer", MonitorFixture.VIEWER_PASSWORD, EnumSet.of(Role.VIEWER));
                return r.kit().users().createToken(h, "reporter", "runs", null).value();
            });
            Files.writeString(tokenFile, token);
        }
        System.out.println("READY " + r.baseUri());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Starts a monitor process and waits until it answers (at most 2 minutes). */
    public static MonitorProcess start(String dbUrl, Path dataDir, int port, Path tokenFile) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), MonitorProcess.class.getName(), dbUrl,
                dataDir.toString(), Integer.toString(port), tokenFile.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("READY ")) {
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
                return new MonitorProcess(p);
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the monitor process did not start:\n" + seen);
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
