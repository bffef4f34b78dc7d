package org.cohortflow.cli.services;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.cohortflow.server.testing.ServiceJvm;

/**
 * A service run as production runs it, {@code cohortflow serve NAME --config FILE}, in its own JVM (the kit's
 * {@link ServiceJvm}), so that a test can kill it with SIGKILL ({@code kill -9}) and start it again. Its output
 * goes to a log file whose text is part of every failure message.
 */
public final class ServiceProcess implements AutoCloseable {
    private final ServiceJvm jvm;

    private ServiceProcess(ServiceJvm jvm) {
        this.jvm = jvm;
    }

    /** Starts {@code cohortflow serve NAME --config CONFIG} and waits (up to 180 s, for a loaded machine) until it listens. */
    public static ServiceProcess serve(String name, Path config, Path log) throws IOException, InterruptedException {
        return new ServiceProcess(ServiceJvm.start("cohortflow serve " + name, List.of("org.cohortflow.cli.Cohortflow",
                "serve", name, "--config", config.toString()), name + " listening on ", Duration.ofSeconds(180), log));
    }

    /**
     * Starts any command (the {@code ./cohortflow} launcher, a systemd unit's ExecStart) and waits (up to 180 s)
     * until a line of its output says it is ready; see {@link ServiceJvm#launch}.
     */
    public static ServiceProcess launch(List<String> command, Map<String, String> environment, Path directory,
                                        Predicate<String> ready, Path log) throws IOException {
        return new ServiceProcess(ServiceJvm.launch(command, environment, directory, ready, Duration.ofSeconds(180), log));
    }

    /** Stops the service with SIGTERM, waits for its end and returns its exit code. */
    public int terminate() throws InterruptedException {
        return jvm.terminate();
    }

    /** Where the service answers. */
    public URI baseUri() {
        return jvm.baseUri();
    }

    /** Kills the JVM with SIGKILL (no shutdown hook, no clean close of its database) and waits for its end. */
    public void kill9() throws InterruptedException {
        jvm.kill9();
    }

    /** What the service printed so far. */
    public String output() {
        return jvm.output();
    }

    /** A port free at the time of asking, for a service that must come back on the same address. */
    public static int freePort() throws IOException {
        return ServiceJvm.freePort();
    }

    @Override
    public void close() {
        jvm.close();
    }
}
