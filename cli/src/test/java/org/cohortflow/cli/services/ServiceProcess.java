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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
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

    /** Starts {@code cohortflow serve NAME --config CONFIG} and waits (up to 180 s) until it listens. */
    public static ServiceProcess serve(String name, Path config, Path log) throws IOException, InterruptedException {
        String marker = name + " listening on ";
        return launch(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.cohortflow.cli.Cohortflow", "serve", name,
                "--config", config.toString()), Map.of(), null, line -> line.startsWith(marker), log);
    }

    /**
     * Starts any command (the {@code ./cohortflow} launcher, a systemd unit's ExecStart) and waits (up to 180 s, a guard
     * for a loaded machine)
     * until a line of its output says it is ready. Its {@link #baseUri()} is the first address announced as
     * {@code NAME listening on URL}.
     *
     * @param environment added to this JVM's environment
     * @param directory   the working folder, or null for this JVM's
     * @param ready       true for the line that says the command is ready
     */
    public static ServiceProcess launch(List<String> command, Map<String, String> environment, Path directory,
                                        Predicate<String> ready, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        Process p = pb.start();
        CompletableFuture<URI> announced = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<URI> first = new java.util.concurrent.atomic.AtomicReference<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    int at = line.indexOf(" listening on ");
                    if (at > 0 && first.get() == null) {
                        first.set(URI.create(line.substring(at + " listening on ".length()).split(" ")[0]));
                    }
                    if (ready.test(line) && first.get() != null) {
                        announced.complete(first.get());
                    }
                }
            } catch (IOException e) {
                // the process ended (killed); what it printed is in the log
            }
            announced.complete(null);
        }, "serve-output");
        pump.setDaemon(true);
        pump.start();
        URI base;
        try {
            base = announced.get(180, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            base = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            base = null;
        }
        if (base == null) {
            try {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new AssertionError("'" + String.join(" ", command) + "' did not announce its address within 180 s: " + text(log));
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

    /**
     * Stops the service as systemd or Ctrl-C does (SIGTERM), waits for its end (up to 60 s) and returns its exit code.
     */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the service did not stop within 60 s of SIGTERM: " + text(log));
        }
        return process.exitValue();
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
