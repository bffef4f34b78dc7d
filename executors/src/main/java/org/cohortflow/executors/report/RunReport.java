package org.cohortflow.executors.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What a run did, written as {@code report.json} in the run folder and summarised on the console: job
 * counts per node, every failure with its command, exit code and the tail of stderr, every job or sink
 * output that is missing and why.
 *
 * @param runDir  URI of the run folder
 * @param leftOut  samples that {@code missing: skip} collapses left out of the jobs that ran without them
 * @param problems what went wrong with the run itself rather than a job (an event log or report that could
 *                 not be written, with the path and the cause)
 */
public record RunReport(String runId, String network, String executor, String runDir, Instant start, Instant end,
                        List<NodeSummary> nodes, List<Failure> failures, List<Missing> missing,
                        List<SinkSummary> sinks, List<Missing> sinkProblems, List<LeftOut> leftOut,
                        List<String> problems) {

    public RunReport {
        problems = List.copyOf(problems);
        leftOut = List.copyOf(leftOut);
        nodes = List.copyOf(nodes);
        failures = List.copyOf(failures);
        missing = List.copyOf(missing);
        sinks = List.copyOf(sinks);
        sinkProblems = List.copyOf(sinkProblems);
    }

    /** Job counts of one node. {@code cached} jobs are also counted in {@code succeeded}. */
    public record NodeSummary(String node, int succeeded, int cached, int failed, int missing) {}

    /**
     * A failed job.
     *
     * @param command  the command line of a command-line tool, else null
     * @param exitCode its exit code when it ran to the end, else null
     * @param folder   the job's folder (stdout.txt, stderr.txt, job.json)
     */
    public record Failure(String node, String sample, String tool, String error, String command, Integer exitCode,
                          String stderrTail, String folder) {}

    /** A job or sink output that does not exist, and why. */
    public record Missing(String node, String sample, String reason) {}

    /**
     * A sample a {@code missing: skip} collapse left out of a job that ran without it (e.g. a subject whose
     * features failed, left out of the cohort table). Its own failure is listed among the failures; a run
     * with left-out samples still exits 1.
     */
    public record LeftOut(String node, String sample, String input, String leftOutSample, String reason) {}

    /** Outputs written by a sink. */
    public record SinkSummary(String sink, int written, int missing) {}

    /**
     * 0 when every job succeeded, every sink output was written and the run kept its records; 1 when
     * anything failed, is missing or could not be recorded.
     */
    public int exitCode() {
        return failures.isEmpty() && missing.isEmpty() && sinkProblems.isEmpty() && problems.isEmpty() ? 0 : 1;
    }

    /** This report with other run problems. */
    public RunReport withProblems(List<String> p) {
        return new RunReport(runId, network, executor, runDir, start, end, nodes, failures, missing, sinks, sinkProblems,
                leftOut, p);
    }

    public int succeeded() {
        return nodes.stream().mapToInt(NodeSummary::succeeded).sum();
    }

    public int cached() {
        return nodes.stream().mapToInt(NodeSummary::cached).sum();
    }

    /** The human summary printed at the end of a run. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        Duration d = Duration.between(start, end);
        sb.append(String.format(Locale.ROOT, "run %s of %s on %s: %s in %d.%01ds%n", runId, network, executor,
                exitCode() == 0 ? "succeeded" : "FAILED", d.toSeconds(), d.toMillisPart() / 100));
        for (NodeSummary n : nodes) {
            sb.append(String.format(Locale.ROOT, "  %-24s %5d ok (%d cached) %5d failed %5d missing%n", n.node(),
                    n.succeeded(), n.cached(), n.failed(), n.missing()));
        }
        for (SinkSummary s : sinks) {
            sb.append(String.format(Locale.ROOT, "  sink %-19s %5d written %5d missing%n", s.sink(), s.written(), s.missing()));
        }
        if (!failures.isEmpty()) {
            sb.append(failures.size()).append(" failed job(s):\n");
            for (Failure f : failures) {
                sb.append("  ").append(f.node()).append(" / ").append(f.sample()).append(" (").append(f.tool()).append("): ")
                        .append(f.error()).append('\n');
                if (f.command() != null) {
                    sb.append("    command:   ").append(f.command()).append('\n');
                }
                if (f.exitCode() != null) {
                    sb.append("    exit code: ").append(f.exitCode()).append('\n');
                }
                if (f.stderrTail() != null && !f.stderrTail().isBlank()) {
                    sb.append("    stderr:\n");
                    f.stderrTail().lines().forEach(l -> sb.append("      ").append(l).append('\n'));
                }
                if (f.folder() != null) {
                    sb.append("    folder:    ").append(f.folder()).append('\n');
                }
            }
        }
        if (!missing.isEmpty()) {
            sb.append(missing.size()).append(" missing job(s):\n");
            missing.stream().limit(50).forEach(m -> sb.append("  ").append(m.node()).append(" / ").append(m.sample())
                    .append(": ").append(m.reason()).append('\n'));
            if (missing.size() > 50) {
                sb.append("  ... and ").append(missing.size() - 50).append(" more (see report.json)\n");
            }
        }
        if (!leftOut.isEmpty()) {
            sb.append(leftOut.size()).append(" sample(s) left out of collapsed inputs (missing: skip):\n");
            leftOut.stream().limit(50).forEach(l -> sb.append("  ").append(l.node()).append(" / ").append(l.sample())
                    .append(" without ").append(l.leftOutSample()).append(": ").append(l.reason()).append('\n'));
        }
        if (!sinkProblems.isEmpty()) {
            sb.append(sinkProblems.size()).append(" sink output(s) not written:\n");
            sinkProblems.stream().limit(50).forEach(m -> sb.append("  ").append(m.node()).append(" / ").append(m.sample())
                    .append(": ").append(m.reason()).append('\n'));
        }
        problems.forEach(p -> sb.append("run problem: ").append(p).append('\n'));
        sb.append("run folder: ").append(runDir).append('\n');
        return sb.toString();
    }
}
