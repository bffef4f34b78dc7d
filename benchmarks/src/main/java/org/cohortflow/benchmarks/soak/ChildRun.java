package org.cohortflow.benchmarks.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Starts one {@code cohortflow run} as a child JVM and, when told, kills it with {@code kill -9}
 * ({@link Process#destroyForcibly()}), recording its descendants just before the kill and how long they
 * outlive it.
 */
final class ChildRun {
    /** How long the soak watches a killed run's descendants end (a watchdog's clean-up, orphaned tools). */
    private static final long WATCH_MS = 5_000;
    private static final long POLL_MS = 10;

    /**
     * When to kill: after {@code afterMs}, or, with {@code tool}, while the {@code nth} process of that name
     * (its executable's file name) runs under the run.
     */
    record Kill(long afterMs, Optional<String> tool, int nth) {
        static Kill never() {
            return new Kill(-1, Optional.empty(), 0);
        }

        static Kill after(long ms) {
            return new Kill(ms, Optional.empty(), 0);
        }

        static Kill atTool(String tool, int nth) {
            return new Kill(-1, Optional.of(tool), nth);
        }

        boolean planned() {
            return afterMs >= 0 || tool.isPresent();
        }
    }

    /** What happened to one child. */
    record Outcome(SoakResult.Attempt attempt, long pid, List<ProcessScan.Tracked> tracked) {}

    private ChildRun() {}

    /**
     * Runs {@code command}, output to {@code log}.
     *
     * @param limitMs kill it anyway after this long (a hung run), reported as a failed attempt, not a kill
     */
    static Outcome run(List<String> command, Path log, int number, boolean resume, Kill kill, long limitMs)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean killNow = kill.tool().isPresent() ? waitForTool(p, kill.tool().get(), kill.nth(), limitMs)
                : !p.waitFor(kill.afterMs() >= 0 ? Math.min(kill.afterMs(), limitMs) : limitMs, TimeUnit.MILLISECONDS);
        long atMs = (System.nanoTime() - t0) / 1_000_000;
        List<ProcessScan.Tracked> tracked = new ArrayList<>();
        List<String> aliveAfter = new ArrayList<>();
        boolean killed = false;
        long endedMs = 0;
        double seconds;
        if (killNow && p.isAlive()) {
            // Just before the kill: whatever runs under the JVM now is what it could leave behind.
            p.toHandle().descendants().forEach(h -> tracked.add(ProcessScan.Tracked.of(h)));
            p.destroyForcibly();
            p.waitFor();
            seconds = (System.nanoTime() - t0) / 1e9;
            killed = kill.planned() && atMs < limitMs;
            endedMs = watch(tracked, aliveAfter);
        } else {
            p.waitFor();
            seconds = (System.nanoTime() - t0) / 1e9;
        }
        List<String> descendants = tracked.stream().map(t -> t.pid() + " " + t.command()).toList();
        SoakResult.Attempt a = new SoakResult.Attempt(number, resume, killed ? atMs : -1, killed, p.exitValue(), seconds,
                descendants, aliveAfter, endedMs, log.toString());
        return new Outcome(a, p.pid(), tracked);
    }

    /**
     * Waits until the {@code nth} process named {@code tool} runs under {@code p}; false when {@code p} ends first.
     * The soak's own process scan, so a tool that runs for a few milliseconds may pass unseen.
     */
    private static boolean waitForTool(Process p, String tool, int nth, long limitMs) throws InterruptedException {
        Set<Long> seen = new HashSet<>();
        long end = System.nanoTime() + limitMs * 1_000_000;
        while (System.nanoTime() < end) {
            if (p.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                return false;
            }
            p.toHandle().descendants().filter(h -> h.info().command()
                    .map(c -> Path.of(c).getFileName().toString().equals(tool)).orElse(false))
                    .forEach(h -> seen.add(h.pid()));
            if (seen.size() >= nth) {
                return true;
            }
        }
        return true;
    }

    /**
     * Watches the killed run's descendants for up to {@link #WATCH_MS}: fills {@code aliveAfter} with those still
     * running a second after the kill, and returns when the last of them ended (ms after the kill; -1: some still
     * ran at the end of the watch).
     */
    private static long watch(List<ProcessScan.Tracked> tracked, List<String> aliveAfter) throws InterruptedException {
        long k0 = System.nanoTime();
        boolean sampled = false;
        while (true) {
            long ms = (System.nanoTime() - k0) / 1_000_000;
            List<ProcessScan.Tracked> alive = tracked.stream().filter(ProcessScan.Tracked::alive).toList();
            if (!sampled && ms >= 1000) {
                alive.forEach(t -> aliveAfter.add(t.pid() + " " + t.command()));
                sampled = true;
            }
            if (alive.isEmpty()) {
                return ms;
            }
            if (ms >= WATCH_MS) {
                return -1;
            }
            Thread.sleep(50);
        }
    }
}
