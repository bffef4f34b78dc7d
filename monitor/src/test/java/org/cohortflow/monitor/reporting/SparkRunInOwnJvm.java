package org.cohortflow.monitor.reporting;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.cohortflow.executors.monitor.MonitorSettings;

/**
 * Runs {@link CountingRun} on Spark {@code local[2]} in a JVM of its own, as {@code cohortflow run} would be: a
 * Spark driver cannot share a JVM with the monitor's Javalin, since Spark's (shaded) Jetty still needs the
 * Servlet 5 API (e.g. {@code jakarta.servlet.SingleThreadModel}) and Javalin's Jetty 12 needs Servlet 6.
 */
final class SparkRunInOwnJvm {
    private SparkRunInOwnJvm() {}

    /** Child side: {@code DIR RUN-ID MONITOR-URL TOKEN}; exits with the run's exit code. */
    public static void main(String[] args) {
        MonitorSettings s = MonitorSettings.of(URI.create(args[2]), Optional.of(args[3])).withInterval(Duration.ofMillis(300));
        CountingRun run = CountingRun.run(Path.of(args[0]), args[1], "spark", Optional.of(s));
        System.out.print(run.console());
        System.out.flush();
        System.exit(run.result().exitCode());
    }

    /** Starts the child and waits for it (at most 5 minutes). */
    static CountingRun.Outcome run(Path dir, String runId, URI monitor, String token) throws IOException, InterruptedException {
        String servlet5 = Path.of(System.getProperty("user.home"), ".m2/repository/jakarta/servlet/jakarta.servlet-api/5.0.0/"
                + "jakarta.servlet-api-5.0.0.jar").toString();
        if (!Files.exists(Path.of(servlet5))) {
            throw new IllegalStateException("Spark needs the Servlet 5 API jar at " + servlet5 + " (resolved by the executors' build)");
        }
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> e.contains("jakarta.servlet-api-6") ? servlet5 : e).collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-XX:+Ignore"))
                .forEach(command::add);
        command.addAll(List.of("-Xmx1g", "-cp", cp, SparkRunInOwnJvm.class.getName(), dir.toString(), runId, monitor.toString(), token));
        Path log = Files.createTempFile("spark-run-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the Spark run did not finish in 5 minutes: " + Files.readString(log));
        }
        return new CountingRun.Outcome(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
