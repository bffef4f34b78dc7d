package org.cohortflow.executors.events;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A console progress bar driven by run events: one line redrawn every second with, per node, jobs
 * done / failed / running out of planned, an overall bar and the ETA from the rate so far. Silent for the
 * first few seconds so that short runs print only their summary.
 */
public final class ConsoleProgress implements Consumer<RunEvent>, AutoCloseable {
    private static final long QUIET_MS = 3000;
    private static final int BAR = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.currentTimeMillis();
    private final Map<String, int[]> nodes = new LinkedHashMap<>(); // planned, done, failed, running
    private final java.util.Set<String> running = new java.util.HashSet<>();
    /** Jobs counted done: a job reused and then made again in its task ends twice (cached, then succeeded). */
    private final java.util.Set<String> done = new java.util.HashSet<>();
    private final ScheduledExecutorService timer;
    private boolean drawn;

    /** @param terminal redraw one line with carriage returns; otherwise print a line every 10 seconds */
    public ConsoleProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cohortflow-progress");
            t.setDaemon(true);
            return t;
        });
        long period = terminal ? 1 : 10;
        timer.scheduleAtFixedRate(this::draw, QUIET_MS, period * 1000, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void accept(RunEvent e) {
        if (e.node() == null) {
            return;
        }
        int[] c = nodes.computeIfAbsent(e.node(), k -> new int[4]);
        // Only jobs that ran were logged running (a cached one was not): only they leave the running count.
        String job = e.node() + "\u0000" + e.sample();
        switch (e.type() + ":" + e.state()) {
            case "job:running" -> {
                if (running.add(job)) c[3]++;
            }
            case "job:succeeded", "job:cached" -> {
                if (done.add(job)) c[1]++;
                if (running.remove(job)) c[3]--;
            }
            case "job:failed" -> {
                c[2]++;
                if (running.remove(job)) c[3]--;
            }
            case "job:missing" -> c[2]++;
            default -> {
                if (e.type().equals("planned")) {
                    c[0] = Math.max(c[0], Integer.parseInt(e.state()));
                }
            }
        }
    }

    /** The current line, for tests and for drawing. */
    public synchronized String line() {
        int planned = 0;
        int finished = 0;
        StringBuilder nodesText = new StringBuilder();
        for (var e : nodes.entrySet()) {
            int[] c = e.getValue();
            planned += Math.max(c[0], c[1] + c[2]);
            finished += c[1] + c[2];
            nodesText.append(String.format(Locale.ROOT, " | %s %d/%d", e.getKey(), c[1], Math.max(c[0], c[1] + c[2])));
            if (c[2] > 0) {
                nodesText.append(" ").append(c[2]).append(" failed");
            }
            if (c[3] > 0) {
                nodesText.append(" ").append(c[3]).append(" running");
            }
        }
        double f = planned == 0 ? 0 : (double) finished / planned;
        int filled = (int) Math.round(f * BAR);
        long elapsed = System.currentTimeMillis() - start;
        String eta = finished == 0 || f >= 1 ? "--:--" : clock((long) (elapsed / f - elapsed));
        return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + String.format(Locale.ROOT, "%3d%%", (int) (f * 100))
                + " ETA " + eta + nodesText;
    }

    private void draw() {
        String l = line();
        synchronized (this) {
            if (terminal) {
                out.print("\r" + l + "\u001b[K");
            } else {
                out.println(l);
            }
            out.flush();
            drawn = true;
        }
    }

    private static String clock(long ms) {
        long s = ms / 1000;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (this) {
            if (drawn) {
                if (terminal) {
                    out.print("\r" + line() + "\u001b[K\n");
                }
                out.flush();
            }
        }
    }
}
