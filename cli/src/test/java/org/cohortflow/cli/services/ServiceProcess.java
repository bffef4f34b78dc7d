package org.cohortflow.cli.services;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A service run as production runs it, {@code cohortflow serve NAME --config FILE}, in its own JVM, so that a
 * test can kill it with SIGKILL ({@code kill -9}) and start it again. Its output goes to a log file whose
 * text is part of every failure message.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final URI base;

    private ServiceProcess(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /** Starts {@code cohortflow serve NAME --config CONFIG} and waits (up to 90 s) until it listens. */
    public static ServiceProcess serve(String name, Path config, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.cohortflow.cli.Cohortflow", "serve", name,
                "--config", config.toString()).redirectErrorStream(true).start();
        CompletableFuture<URI> ready = new CompletableFuture<>();
        String marker = name + " listening on ";
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    if (line.startsWith(marker)) {
                        ready.complete(URI.create(line.substring(marker.length()).split(" ")[0]));
                    }
                }
            } catch (IOException e) {
                // the process ended (killed); what it printed is in the log
            }
            ready.complete(null);
        }, "serve-" + name + "-output");
        pump.setDaemon(true);
        pump.start();
        URI base;
        try {
            base = ready.get(90, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            base = null;
        }
        if (base == null) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("'cohortflow serve " + name + "' did not start within 90 s: " + text(log));
        }
        return new ServiceProcess(p, log, base);
    }

    /** Where the service answers. */
    public URI baseUri() {
        return base;
    }

    /** Kills the JVM with SIGKILL (no shutdown hook, no clean close of its database) and waits for its end. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the service did not die within 30 s of SIGKILL");
        }
        if (process.exitValue() != 137) {
            throw new AssertionError("expected death by SIGKILL (exit 137), got " + process.exitValue() + ": " + text(log));
        }
    }

    /** What the service printed so far. */
    public String output() {
        return text(log);
    }

    /** A port free at the time of asking, for a service that must come back on the same address. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String text(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no output)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
