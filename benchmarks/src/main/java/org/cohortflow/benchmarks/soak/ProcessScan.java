package org.cohortflow.benchmarks.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds processes that a killed run left running, from Linux's {@code /proc}: what the soak recorded as the
 * killed JVM's descendants just before the kill and that still runs (same PID and start time, so a reused PID
 * is not mistaken for it), any process whose command line names one of the soak's markers (its work folder,
 * its job folders' prefix), and any process whose parent is a killed JVM's PID. The soak's own JVM and its
 * ancestors (whose command lines may name the output folder) are never suspects.
 */
public final class ProcessScan {
    private ProcessScan() {}

    /** One process as {@code /proc} shows it: its command line with NULs as spaces. */
    public record Proc(long pid, long ppid, String command) {}

    /** A process recorded before a kill: a descendant of the JVM about to be killed. */
    public record Tracked(long pid, Optional<Instant> start, String command) {
        /** This process as it ran then, from a live handle. */
        public static Tracked of(ProcessHandle h) {
            ProcessHandle.Info info = h.info();
            String cmd = info.commandLine().orElse(info.command().orElse("?")).replaceAll("\\s+", " ").trim();
            // Long command lines (a shell script given with -c) keep their start and their end, where the arguments are.
            return new Tracked(h.pid(), info.startInstant(),
                    cmd.length() > 400 ? cmd.substring(0, 250) + " ... " + cmd.substring(cmd.length() - 120) : cmd);
        }

        /** True when a process with this PID and this start time still runs. */
        public boolean alive() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> start.isEmpty() || h.info().startInstant().equals(start)).isPresent();
        }
    }

    /** A process left over, and why it counts as the soak's. */
    public record Leftover(long pid, String command, String why) {}

    /** The parent PID from a {@code /proc/PID/stat} line; the command name in parentheses may hold anything. */
    public static Optional<Long> parentPid(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] fields = stat.substring(close + 1).trim().split(" ");
        // After ") ": state, then ppid.
        if (fields.length < 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(fields[1]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A {@code /proc/PID/cmdline} as one line: arguments separated by spaces. */
    public static String commandLine(byte[] cmdline) {
        return new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').trim();
    }

    /** Every process under {@code procRoot} (normally {@code /proc}) with a command line; kernel threads have none. */
    public static List<Proc> snapshot(Path procRoot) {
        List<Proc> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(procRoot, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path d : dirs) {
                try {
                    String cmd = commandLine(Files.readAllBytes(d.resolve("cmdline")));
                    Optional<Long> ppid = parentPid(Files.readString(d.resolve("stat"), StandardCharsets.UTF_8));
                    if (!cmd.isEmpty() && ppid.isPresent()) {
                        out.add(new Proc(Long.parseLong(d.getFileName().toString()), ppid.get(), cmd));
                    }
                } catch (IOException | RuntimeException e) {
                    // The process ended while being read: not a leftover.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + procRoot + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The suspects among {@code procs}.
     *
     * @param markers      text whose presence in a command line makes the process the soak's, with the reason
     * @param killedPids   PIDs of JVMs the soak killed (a process whose parent has such a PID is a suspect; the
     *                     caller passes only PIDs not reused by a living process)
     * @param trackedAlive descendants recorded at a kill that still run
     * @param self         the soak's own PID: it and its ancestors are never suspects
     */
    public static List<Leftover> suspects(List<Proc> procs, Map<String, String> markers, Set<Long> killedPids,
                                          Collection<Tracked> trackedAlive, long self) {
        Map<Long, Proc> byPid = new HashMap<>();
        procs.forEach(p -> byPid.put(p.pid(), p));
        Set<Long> excluded = new HashSet<>();
        for (Long pid = self; pid != null && pid > 0 && excluded.add(pid); ) {
            Proc p = byPid.get(pid);
            pid = p == null ? null : p.ppid();
        }
        Map<Long, Leftover> out = new java.util.TreeMap<>();
        for (Tracked t : trackedAlive) {
            if (!excluded.contains(t.pid())) {
                Proc p = byPid.get(t.pid());
                out.put(t.pid(), new Leftover(t.pid(), p != null ? p.command() : t.command(),
                        "started under a killed run's JVM (recorded at the kill)"));
            }
        }
        for (Proc p : procs) {
            if (excluded.contains(p.pid()) || out.containsKey(p.pid())) {
                continue;
            }
            if (killedPids.contains(p.ppid())) {
                out.put(p.pid(), new Leftover(p.pid(), p.command(), "its parent is a killed run's JVM (pid " + p.ppid() + ")"));
                continue;
            }
            markers.entrySet().stream().filter(m -> p.command().contains(m.getKey())).findFirst()
                    .ifPresent(m -> out.put(p.pid(), new Leftover(p.pid(), p.command(), m.getValue())));
        }
        return List.copyOf(out.values());
    }
}
