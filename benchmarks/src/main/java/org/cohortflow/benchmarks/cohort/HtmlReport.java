package org.cohortflow.benchmarks.cohort;

import static org.cohortflow.executors.report.html.Html.esc;

import java.util.ArrayList;
import java.util.List;
import org.cohortflow.executors.report.html.Html;
import org.cohortflow.executors.report.html.HtmlPage;
import org.cohortflow.executors.report.html.Svg;

/**
 * The cohort benchmark's HTML page: one self-contained file (inline CSS and SVG, no scripts, fonts or
 * other external resources) so that it can be mailed or archived with the run; built with the report kit
 * ({@code org.cohortflow.executors.report.html}).
 */
final class HtmlReport {
    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#9c755f"};

    private HtmlReport() {}

    private record Bar(String label, double value, String text, String colour) {
        Svg.Bar toSvg() {
            return new Svg.Bar(label, value, text, colour);
        }
    }

    static String render(CohortBenchResult r) {
        HtmlPage page = new HtmlPage("cohortflow cohort benchmark")
                .css("table{margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em}h2{margin-top:2em}");
        StringBuilder h = page.body();
        h.append("<h1>cohortflow cohort benchmark</h1>\n");
        h.append("<p>").append(esc(r.date())).append(" on ").append(esc(r.machine().host())).append(": ")
                .append(r.machine().cores()).append(" cores, ").append(esc(r.machine().java())).append(", ")
                .append(esc(r.machine().os())).append(", heap ").append(r.machine().maxHeapMb()).append(" MiB; load average ")
                .append(fmt(r.machine().loadAverageBefore(), 1)).append(" before, ").append(fmt(r.machine().loadAverageAfter(), 1))
                .append(" after.</p>\n");
        h.append("<p>Cohort: ").append(r.cohort().subjects()).append(" subjects (").append(esc(r.cohort().kind()))
                .append(r.cohort().seed() == null ? "" : ", seed " + r.cohort().seed()).append(", ROI ").append(esc(r.cohort().roi()))
                .append(") in <code>").append(esc(r.cohort().path())).append("</code>. Network: <code>").append(esc(r.network()))
                .append("</code>.</p>\n");

        List<Bar> speed = new ArrayList<>();
        for (CohortBenchResult.Run run : r.runs()) {
            speed.add(new Bar(label(run), run.subjectsPerMinute(), fmt(run.subjectsPerMinute(), 1), colour(run)));
        }
        if (r.baseline() != null) {
            speed.add(new Bar("process per job, " + r.baseline().parallelism() + " at once", r.baseline().subjectsPerMinute(),
                    fmt(r.baseline().subjectsPerMinute(), 1), "#999"));
        }
        h.append("<h2>Subjects per minute</h2>\n").append(chart(speed));
        h.append("<p class=\"note\">Wall time of each run from planning to the last sink write, the fastest of its "
                + "repetitions (other load on a shared machine only adds time); Spark session start-up is measured apart and "
                + "not included.</p>\n");

        h.append("<h2>Runs</h2>\n<table><tr><th>run</th><th>wall s</th><th>subjects/min</th><th>Spark start-up s</th>"
                + "<th>overhead share</th><th>time in jobs</th><th>same table as tools</th><th>all repetitions s</th></tr>\n");
        for (CohortBenchResult.Run run : r.runs()) {
            h.append("<tr><td>").append(esc(label(run))).append("</td><td>").append(fmt(run.wallMs() / 1000, 2))
                    .append("</td><td>").append(fmt(run.subjectsPerMinute(), 1)).append("</td><td>")
                    .append(run.startupMs() == 0 ? "-" : fmt(run.startupMs() / 1000, 1)).append("</td><td>")
                    .append(pct(run.overheadShare())).append("</td><td>").append(pct(run.jobShare())).append("</td><td>")
                    .append(run.sameAsTools() ? "yes" : "NO").append("</td><td>")
                    .append(esc(String.join(" ", run.wallsMs().stream().map(w -> fmt(w / 1000, 2)).toList())))
                    .append("</td></tr>\n");
        }
        if (r.baseline() != null) {
            CohortBenchResult.Baseline b = r.baseline();
            h.append("<tr><td>process per job (").append(b.processes()).append(" JVMs, ").append(b.parallelism())
                    .append(" at once, ").append(b.subjects()).append(" subjects)</td><td>").append(fmt(b.wallMs() / 1000, 2))
                    .append("</td><td>").append(fmt(b.subjectsPerMinute(), 1)).append("</td><td>-</td><td>-</td><td>-</td><td>")
                    .append(b.sameAsTools() ? "yes" : (b.subjects() < r.cohort().subjects() ? "(part of the cohort)" : "NO"))
                    .append("</td><td>-</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Framework overhead share</h2>\n");
        List<Bar> overhead = new ArrayList<>();
        for (CohortBenchResult.Run run : r.runs()) {
            overhead.add(new Bar(label(run), Math.max(0, 100 * run.overheadShare()), pct(run.overheadShare()), colour(run)));
        }
        h.append(chart(overhead));
        h.append("<p class=\"note\">1 - (time inside tools) / (wall time x cores). Time inside tools is the bare tool chain "
                + "in this JVM, one subject after another, after a warm-up pass: ").append(fmt(r.tools().totalMs() / 1000, 2))
                .append(" s for the cohort (").append(fmt(r.tools().totalMs() / r.cohort().subjects(), 0))
                .append(" ms per subject). The rest is the framework (planning, hashing inputs, storing every job's "
                + "outputs and records, events, sinks with provenance), scheduling and idle cores.</p>\n");

        h.append("<h2>Scaling from 1 to more cores</h2>\n");
        List<Bar> scaling = new ArrayList<>();
        for (CohortBenchResult.Run one : r.runs()) {
            if (one.cores() != 1) {
                continue;
            }
            for (CohortBenchResult.Run more : r.runs()) {
                if (more.executor().equals(one.executor()) && more.cores() > 1) {
                    double s = one.wallMs() / more.wallMs();
                    scaling.add(new Bar(more.executor() + ": 1 -> " + more.cores() + " cores", s,
                            fmt(s, 2) + "x (ideal " + more.cores() + "x)", colour(more)));
                }
            }
        }
        h.append(scaling.isEmpty() ? "<p>Only one core count was run.</p>\n" : chart(scaling));

        if (r.baseline() != null) {
            h.append("<h2>Against one process per job</h2>\n");
            List<Bar> ratio = new ArrayList<>();
            for (CohortBenchResult.Run run : r.runs()) {
                double x = run.subjectsPerMinute() / r.baseline().subjectsPerMinute();
                ratio.add(new Bar(label(run), x, fmt(x, 1) + "x", colour(run)));
            }
            h.append(chart(ratio));
            h.append("<p class=\"note\">Subjects per minute of each run over those of the process-per-job baseline (fastr's "
                    + "model: every job a new JVM that loads the tools, reads its inputs from files and writes its outputs; "
                    + r.baseline().parallelism() + " at once). Mean process time: ")
                    .append(fmt(r.baseline().meanProcessMs(), 0)).append(" ms");
            r.baseline().meanProcessMsPerTool().forEach((t, ms) -> h.append("; ").append(esc(t)).append(' ').append(fmt(ms, 0)).append(" ms"));
            h.append(".</p>\n");
        }

        h.append("<h2>Time per stage</h2>\n<table><tr><th>run</th><th>node</th><th>tool</th><th>jobs</th>"
                + "<th>span s (events.jsonl)</th><th>job time s (job.json)</th><th>tool alone s</th></tr>\n");
        for (CohortBenchResult.Run run : r.runs()) {
            for (CohortBenchResult.Stage s : run.stages()) {
                h.append("<tr><td>").append(esc(label(run))).append("</td><td>").append(esc(s.node())).append("</td><td>")
                        .append(esc(String.valueOf(s.tool()))).append("</td><td>").append(s.jobs()).append("</td><td>")
                        .append(fmt(s.spanMs() / 1000, 2)).append("</td><td>").append(fmt(s.jobMs() / 1000, 2)).append("</td><td>")
                        .append(s.toolMs() == null ? "-" : fmt(s.toolMs() / 1000, 2)).append("</td></tr>\n");
            }
        }
        h.append("</table>\n");
        for (CohortBenchResult.Run run : r.runs()) {
            List<Bar> stages = new ArrayList<>();
            int k = 0;
            for (CohortBenchResult.Stage s : run.stages()) {
                String c = COLOURS[k++ % COLOURS.length];
                stages.add(new Bar(s.node() + " (jobs)", s.jobMs() / 1000, fmt(s.jobMs() / 1000, 2) + " s", c));
                if (s.toolMs() != null) {
                    stages.add(new Bar(s.node() + " (tool alone)", s.toolMs() / 1000, fmt(s.toolMs() / 1000, 2) + " s", "#bbb"));
                }
            }
            h.append("<h3>").append(esc(label(run))).append("</h3>\n").append(chart(stages));
        }
        h.append("<p class=\"note\">Span: from a node's first <code>running</code> event to its last finished job, with "
                + "the times of the jobs' own records (when each began and ended where it ran; per-sample chains run as one "
                + "task, so their spans overlap). Job time: the sum of the "
                + "node's jobs from <code>job.json</code>, measured where they ran (inputs read and hashed, tool, outputs "
                + "stored). Tool alone: the bare chain.</p>\n");
        return page.render();
    }

    private static String label(CohortBenchResult.Run run) {
        return run.executor().equals("local") ? "local, " + run.cores() + (run.cores() == 1 ? " thread" : " threads")
                : "spark " + run.master() + ", " + run.cores() + (run.cores() == 1 ? " core" : " cores");
    }

    private static String colour(CohortBenchResult.Run run) {
        int base = run.executor().equals("local") ? 0 : 1;
        return run.cores() == 1 ? COLOURS[base] : COLOURS[base + 2];
    }

    /** A horizontal bar chart as inline SVG. */
    private static String chart(List<Bar> bars) {
        return Svg.bars(bars.stream().map(Bar::toSvg).toList(), "bar chart");
    }

    private static String fmt(double v, int decimals) {
        return Html.fixed(v, decimals);
    }

    private static String pct(double share) {
        return Html.percent(share);
    }

}
