package org.cohortflow.benchmarks.soak;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The soak's result as Markdown: a table per executor, the sink comparison and the leftovers. */
final class SoakReport {
    private SoakReport() {}

    static String markdown(SoakResult r) {
        StringBuilder b = new StringBuilder();
        SoakResult.Setup s = r.setup();
        b.append(String.format(Locale.ROOT, "# Soak: %d runs per executor killed with kill -9 and resumed%n%n", s.runs()));
        b.append(String.format(Locale.ROOT, "%s, %d synthetic subjects, seed %d, 1 to %d kills per run, %s; %s, %d cores, "
                        + "load average %.1f -> %.1f; %.0f s in all.%n%n", s.network(), s.subjects(), s.seed(), s.maxKills(), s.killWhen(),
                r.date(), r.machine().cores(), r.machine().loadAverageBefore(), r.machine().loadAverageAfter(), r.seconds()));
        b.append("| executor | runs | kills | resumes | identical sinks | uninterrupted run s | soak s |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (SoakResult.ExecutorSoak e : r.executors()) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d of %d | %.1f | %.1f |%n", e.executor(), e.runs().size(),
                    e.kills(), e.resumes(), e.identical(), e.runs().size(), e.reference().seconds(), e.seconds()));
        }
        b.append('\n');
        for (SoakResult.ExecutorSoak e : r.executors()) {
            for (SoakResult.Run run : e.runs()) {
                String kills = run.attempts().stream().filter(SoakResult.Attempt::killed)
                        .map(a -> String.format(Locale.ROOT, "%.1f s", a.killAfterMs() / 1000.0)).collect(Collectors.joining(", "));
                b.append(String.format(Locale.ROOT, "- %s: %s; %s after %d resume(s), %.1f s in all; sinks %s%n",
                        run.runId(), kills.isEmpty() ? "not killed (it ended before the drawn time)" : "killed after " + kills, run.completed() ? "completed" : "NOT completed", run.resumes(), run.seconds(),
                        run.differences().isEmpty() ? "byte-identical" : "DIFFER: " + describe(run.differences())));
            }
        }
        if (r.executors().size() == 2) {
            b.append(String.format(Locale.ROOT, "%nlocal and spark references: %s%n",
                    r.crossExecutor().isEmpty() ? "byte-identical" : "differ: " + describe(r.crossExecutor())));
        }
        SoakResult.Leftovers l = r.leftovers();
        b.append("\n## Leftovers after the last run\n\n");
        b.append(String.format(Locale.ROOT, "- processes of killed runs still running: %d%s%n", l.processes().size(),
                l.processes().stream().map(p -> "\n  - " + p.pid() + " (" + p.why() + "): " + shorten(p.command()))
                        .collect(Collectors.joining())));
        b.append(list("writers' temporaries (.cohortflow-tmp-*) in sink and work folders", l.tempFiles()));
        b.append(list("cohortflow temporary folders (cohortflow-job-*, cohortflow-codec-*) new in " + s.tmpdir(), l.jobFolders()));
        b.append(list("stale folder locks (informative: unlocked, taken over by the next run)", l.staleLocks()));
        b.append(list("other entries in the children's temporary folder (informative)", l.otherTemp()));
        List<SoakResult.Attempt> killed = r.executors().stream().flatMap(e -> e.runs().stream())
                .flatMap(run -> run.attempts().stream()).filter(SoakResult.Attempt::killed).toList();
        int under = killed.stream().mapToInt(a -> a.descendants().size()).sum();
        int survived = killed.stream().mapToInt(a -> a.aliveAfterKill().size()).sum();
        boolean ranOn = killed.stream().anyMatch(a -> a.descendantsEndedMs() < 0);
        long lastEnded = killed.stream().mapToLong(SoakResult.Attempt::descendantsEndedMs).max().orElse(0);
        String programs = killed.stream().flatMap(a -> a.descendants().stream()).map(SoakReport::program).distinct()
                .collect(Collectors.joining(", "));
        b.append(String.format(Locale.ROOT, "- processes under the JVMs at their kills (informative): %d%s%n", under,
                under == 0 ? "" : String.format(Locale.ROOT, " (%s); alive 1 s after the kill: %d; %s", programs, survived,
                        ranOn ? "some still ran 5 s after their kill" : "the last ended " + lastEnded + " ms after its kill")));
        b.append(String.format(Locale.ROOT, "%n**%s**%n", r.passed() ? "PASSED: every run completed with byte-identical sinks, "
                + "nothing left over" : "FAILED: see above"));
        return b.toString();
    }

    private static String describe(List<SinkSet.Difference> d) {
        return d.stream().map(x -> x.path() + " (" + x.kind() + ")").collect(Collectors.joining(", "));
    }

    private static String list(String what, List<String> items) {
        return String.format(Locale.ROOT, "- %s: %d%s%n", what, items.size(),
                items.stream().limit(20).map(i -> "\n  - " + i).collect(Collectors.joining()));
    }

    /** The program of a recorded {@code PID COMMAND LINE}: the executable's file name. */
    private static String program(String pidAndCommand) {
        String[] parts = pidAndCommand.split(" ");
        String exe = parts.length > 1 ? parts[1] : pidAndCommand;
        String name = exe.substring(exe.lastIndexOf('/') + 1);
        // The executors' watchdog is a shell script named by its first argument after the script.
        return pidAndCommand.contains("cohortflow-watchdog") ? name + " (cohortflow-watchdog)" : name;
    }

    private static String shorten(String command) {
        return command.length() > 200 ? command.substring(0, 200) + " ..." : command;
    }
}
