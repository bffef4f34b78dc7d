package org.cohortflow.benchmarks.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts one {@code cohortflow run} as a child JVM and, when told, kills it with {@code kill -9}
 * ({@link Process#destroyForcibly()}) after a given time, recording its descendants just before the kill.
 */
final class ChildRun {
    /** What happened to one child. */
    record Outcome(SoakResult.Attempt attempt, long pid, List<ProcessScan.Tracked> tracked) {}

    private ChildRun() {}

    /**
     * Runs {@code command}, output to {@code log}.
     *
     * @param killAfterMs kill it this long after the start if it still runs; negative: never
     * @param limitMs     kill it anyway after this long (a hung run), reported as a failed attempt
     */
    static Outcome run(List<String> command, Path log, int number, boolean resume, long killAfterMs, long limitMs)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        long wait = killAfterMs >= 0 ? Math.min(killAfterMs, limitMs) : limitMs;
        boolean ended = p.waitFor(wait, TimeUnit.MILLISECONDS);
        List<ProcessScan.Tracked> tracked = new ArrayList<>();
        List<String> aliveAfter = new ArrayList<>();
        boolean killed = false;
        if (!ended) {
            // Just before the kill: whatever runs under the JVM now is what it could leave behind.
            p.toHandle().descendants().forEach(h -> tracked.add(ProcessScan.Tracked.of(h)));
            p.destroyForcibly();
            p.waitFor();
            killed = killAfterMs >= 0 && killAfterMs <= limitMs;
            // A second's grace: a killed run's own clean-up (a watchdog) may need a moment.
            Thread.sleep(1000);
            tracked.stream().filter(ProcessScan.Tracked::alive).forEach(t -> aliveAfter.add(t.pid() + " " + t.command()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9 - (ended ? 0 : 1.0);
        List<String> descendants = tracked.stream().map(t -> t.pid() + " " + t.command()).toList();
        SoakResult.Attempt a = new SoakResult.Attempt(number, resume, killAfterMs, killed, p.exitValue(), seconds,
                descendants, aliveAfter, log.toString());
        return new Outcome(a, p.pid(), tracked);
    }
}
