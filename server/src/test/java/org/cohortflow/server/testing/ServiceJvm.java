package org.cohortflow.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A service in a JVM of its own, started on this test's class path, so that a test can kill it with SIGKILL
 * ({@code kill -9}) in the middle of its work and start it again on the same data. The child announces that it
 * listens with a line that starts with a marker and goes on with its base URI (e.g. {@code READY http://...});
 * everything it prints goes to a log file, whose text is part of every failure message, and is read all the time
 * so that the child never blocks on a full pipe.
 */
public final class ServiceJvm implements AutoCloseable {
    private static final Duration DEATH_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path log;
    private final URI baseUri;

    private ServiceJvm(String name, Process process, Path log, URI baseUri) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.baseUri = baseUri;
    }

    /**
     * Starts {@code java -cp CLASSPATH JAVA-ARGS...} (JVM options, then the main class and its arguments) and
     * waits until it prints a line starting with {@code readyMarker}.
     *
     * @param name        what the child is, for messages (e.g. {@code cohortflow serve intake})
     * @param javaArgs    JVM options, the main class and its arguments; the class path is this JVM's
     * @param readyMarker the start of the line that says the child listens; the rest of the line starts with its base URI
     * @param within      how long it may take to start
     * @param log         where its output goes (appended)
     * @throws AssertionError with its output when it ended before it was ready or was not ready in time (it is then
     *     killed)
     */
    public static ServiceJvm start(String name, List<String> javaArgs, String readyMarker, Duration within, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(javaArgs);
        return run(name, new ProcessBuilder(command), line -> line.startsWith(readyMarker)
                ? URI.create(line.substring(readyMarker.length()).trim().split("\\s+")[0]) : null, within, log);
    }

    /**
     * Starts any command (the {@code ./cohortflow} launcher, a systemd unit's ExecStart) and waits until a line of
     * its output says it is ready. Its {@link #baseUri()} is the first address it announced as
     * {@code NAME listening on URL}, which may come before the ready line (e.g. {@code serve all} announces every
     * service, then a summary).
     *
     * @param environment added to this JVM's environment
     * @param directory   the working folder, or null for this JVM's
     * @param ready       true for the line that says the command is ready
     */
    public static ServiceJvm launch(List<String> command, Map<String, String> environment, Path directory,
                                    Predicate<String> ready, Duration within, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        AtomicReference<URI> first = new AtomicReference<>();
        String marker = " listening on ";
        return run(String.join(" ", command), pb, line -> {
            int at = line.indexOf(marker);
            if (at > 0 && first.get() == null) {
                first.set(URI.create(line.substring(at + marker.length()).trim().split("\\s+")[0]));
            }
            return ready.test(line) ? first.get() : null;
        }, within, log);
    }

    /** Runs the child; {@code readyAt} gives its base URI for the line that says it is ready, else null. */
    private static ServiceJvm run(String name, ProcessBuilder pb, Function<String, URI> readyAt, Duration within, Path log)
            throws IOException {
        Process p = pb.redirectErrorStream(true).start();
        CompletableFuture<URI> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                    if (!ready.isDone()) {
                        try {
                            URI base = readyAt.apply(line);
                            if (base != null) {
                                ready.complete(base);
                            }
                        } catch (IllegalArgumentException e) {
                            ready.completeExceptionally(e); // no base URI: reported as not started, with the log
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended (killed); what it printed is in the log
            }
            ready.complete(null);
        }, name + " output");
        pump.setDaemon(true);
        pump.start();
        URI base = null;
        String failure;
        try {
            base = ready.get(within.toMillis(), TimeUnit.MILLISECONDS);
            failure = "closed its output (ended) before it was ready";
        } catch (TimeoutException e) {
            failure = "did not start within " + within.toSeconds() + " s";
        } catch (ExecutionException e) {
            failure = "printed its ready line without a URI (" + e.getCause().getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "was interrupted while starting";
        }
        if (base == null) {
            p.destroyForcibly();
            try {
                p.waitFor(DEATH_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new AssertionError("'" + name + "' " + failure + ": " + text(log));
        }
        return new ServiceJvm(name, p, log, base);
    }

    /** Where the service answers, as its ready line said. */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * Kills the JVM with SIGKILL (no shutdown hook, no clean close of its database) and waits for its end.
     *
     * @throws AssertionError when it does not die within 30 s, or died otherwise (its exit status is not 137)
     */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(DEATH_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("'" + name + "' did not die within " + DEATH_WAIT.toSeconds() + " s of SIGKILL");
        }
        if (process.exitValue() != 137) {
            throw new AssertionError("expected '" + name + "' to die by SIGKILL (exit 137), got " + process.exitValue()
                    + ": " + text(log));
        }
    }

    /**
     * Stops the service as systemd or Ctrl-C does (SIGTERM), waits for its end (up to 60 s) and returns its exit code.
     */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("'" + name + "' did not stop within 60 s of SIGTERM: " + text(log));
        }
        return process.exitValue();
    }

    /** What the service printed so far. */
    public String output() {
        return text(log);
    }

    /** A free loopback port at the time of asking, for a service that must come back on the same address. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static String text(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no output)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops the service (SIGTERM, then SIGKILL if it has not ended within 30 s); nothing when it is already dead. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(DEATH_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(DEATH_WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
