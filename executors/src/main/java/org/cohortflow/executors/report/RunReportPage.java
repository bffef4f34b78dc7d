package org.cohortflow.executors.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cohortflow.executors.events.RunEvent;
import org.cohortflow.executors.report.html.Html;
import org.cohortflow.executors.report.html.HtmlPage;
import org.cohortflow.executors.report.html.Svg;

/**
 * A run's {@code report.html}, written beside {@code report.json}: one self-contained page with the counts
 * per node (run, cached, failed, missing), a status grid of every node and sample, each failure with its
 * command, exit code and stderr tail, a timeline of the jobs from the run's events and the time per node.
 * Built from the report and this run's events only, so it can be drawn again from a run folder.
 */
public final class RunReportPage {
    /** Colour of each job state, as in the monitor. */
    private static final Map<String, String> COLOURS = Map.of("succeeded", "#2e9d4f", "cached", "#8cc9a0",
            "failed", "#d62728", "missing", "#f2b233", "running", "#4c78a8", "never ran", "#bbbbbb");

    private RunReportPage() {}

    /** What the events say of one job: its last state, when it began running and when it reached that state. */
    private record JobTimes(String node, String sample, String state, long start, long end, String detail) {}

    /** The page for {@code report}, with the job events of this run (older attempts' events are ignored). */
    public static String render(RunReport report, List<RunEvent> events) {
        Map<String, JobTimes> jobs = jobs(report, events);
        HtmlPage page = new HtmlPage("cohortflow run " + report.runId() + " of " + report.network());
        page.css(".grid td{padding:0;border:1px solid #fff;min-width:18px;height:18px}.grid th{font-size:11px;font-weight:600}"
                + ".grid td.s{background:#ddd}.legend span{margin-right:14px;white-space:nowrap}"
                + ".sw{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:middle}"
                + ".failure{border-left:3px solid #d62728;padding:2px 10px;margin:10px 0}#missing td,#missing th{text-align:left}");
        for (var c : COLOURS.entrySet()) {
            page.css(".grid td.st-" + c.getKey().replace(' ', '-') + "{background:" + c.getValue() + "}");
        }
        Duration d = Duration.between(report.start(), report.end());
        boolean ok = report.exitCode() == 0;
        StringBuilder h = page.body();
        h.append("<h1>Run ").append(Html.esc(report.runId())).append(" of ").append(Html.esc(report.network())).append("</h1>\n")
                .append("<p class=\"lead\">on ").append(Html.esc(report.executor())).append(" &middot; ")
                .append(Html.esc(report.start().toString())).append(" &middot; ").append(Html.fixed(d.toMillis() / 1000.0, 1))
                .append(" s &middot; <span id=\"run-status\" class=\"").append(ok ? "ok\">succeeded" : "bad\">failed")
                .append("</span> &middot; ").append(report.failures().size()).append(" failed, ").append(report.missing().size())
                .append(" missing &middot; folder <code>").append(Html.esc(report.runDir())).append("</code></p>\n");
        nodes(h, report, jobs);
        failures(h, report);
        grid(h, report, jobs);
        timeline(h, jobs);
        problems(h, report);
        return page.render();
    }

    private static Map<String, JobTimes> jobs(RunReport report, List<RunEvent> events) {
        Map<String, JobTimes> jobs = new LinkedHashMap<>();
        for (RunEvent e : events) {
            if (!"job".equals(e.type())) {
                continue;
            }
            String k = e.node() + "\u0000" + e.sample();
            JobTimes before = jobs.get(k);
            if ("running".equals(e.state())) {
                jobs.put(k, new JobTimes(e.node(), e.sample(), "running", e.time(), 0, null));
            } else {
                jobs.put(k, new JobTimes(e.node(), e.sample(), e.state(), before == null ? 0 : before.start(), e.time(), e.detail()));
            }
        }
        for (RunReport.Missing m : report.missing()) {
            jobs.putIfAbsent(m.node() + "\u0000" + m.sample(), new JobTimes(m.node(), m.sample(),
                    "never ran".equals(m.reason()) ? "never ran" : "missing", 0, 0, m.reason()));
        }
        return jobs;
    }

    private static void nodes(StringBuilder h, RunReport report, Map<String, JobTimes> jobs) {
        Map<String, long[]> time = new HashMap<>(); // job time, first start, last end
        for (JobTimes j : jobs.values()) {
            if (j.start() > 0 && j.end() >= j.start()) {
                long[] t = time.computeIfAbsent(j.node(), k -> new long[] {0, Long.MAX_VALUE, 0});
                t[0] += j.end() - j.start();
                t[1] = Math.min(t[1], j.start());
                t[2] = Math.max(t[2], j.end());
            }
        }
        h.append("<h2>Nodes</h2>\n<table id=\"nodes\"><tr><th>node</th><th>run</th><th>cached</th><th>failed</th><th>missing</th>"
                + "<th>job time (s)</th><th>span (s)</th></tr>\n");
        List<Svg.Bar> bars = new ArrayList<>();
        for (RunReport.NodeSummary n : report.nodes()) {
            long[] t = time.get(n.node());
            h.append("<tr><td>").append(Html.esc(n.node())).append("</td><td>").append(n.succeeded() - n.cached())
                    .append("</td><td>").append(n.cached()).append("</td><td").append(n.failed() > 0 ? " class=\"bad\"" : "")
                    .append(">").append(n.failed()).append("</td><td>").append(n.missing()).append("</td><td>")
                    .append(t == null ? "&ndash;" : Html.fixed(t[0] / 1000.0, 2)).append("</td><td>")
                    .append(t == null ? "&ndash;" : Html.fixed((t[2] - t[1]) / 1000.0, 2)).append("</td></tr>\n");
            bars.add(new Svg.Bar(n.node(), t == null ? 0 : t[0] / 1000.0, t == null ? "0 s (nothing ran)"
                    : Html.seconds(t[0]), "#4c78a8"));
        }
        h.append("</table>\n<p class=\"note\">Run: jobs whose tool ran in this run; cached: results of an earlier run "
                + "reused. Job time: the node's jobs' times added up, from when each began where it ran to its end; span: "
                + "from the node's first start to its last end.</p>\n<h3>Time per node</h3>\n")
                .append(Svg.bars(bars, "time per node"));
    }

    private static void failures(StringBuilder h, RunReport report) {
        h.append("<h2>Failures</h2>\n<div id=\"failures\">");
        if (report.failures().isEmpty()) {
            h.append("<p class=\"ok\">No job failed.</p>");
        }
        for (RunReport.Failure f : report.failures()) {
            h.append("<div class=\"failure\" data-node=\"").append(Html.esc(f.node())).append("\" data-sample=\"")
                    .append(Html.esc(f.sample())).append("\"><h3>").append(Html.esc(f.node())).append(" / ").append(Html.esc(f.sample()))
                    .append(" <span class=\"muted\">").append(Html.esc(f.tool())).append("</span></h3>\n<p class=\"error\">")
                    .append(Html.esc(f.error())).append("</p>\n");
            if (f.command() != null) {
                h.append("<p>command: <code class=\"command\">").append(Html.esc(f.command())).append("</code></p>\n");
            }
            if (f.exitCode() != null) {
                h.append("<p>exit code: <b class=\"exit-code\">").append(f.exitCode()).append("</b></p>\n");
            }
            if (f.stderrTail() != null && !f.stderrTail().isBlank()) {
                h.append("<p>end of stderr:</p><pre class=\"stderr\">").append(Html.esc(f.stderrTail())).append("</pre>\n");
            }
            if (f.folder() != null) {
                h.append("<p class=\"muted\">logs: <code>").append(Html.esc(f.folder())).append("</code> (stdout.txt, stderr.txt, "
                        + "job.json); <code>cohortflow trace</code> shows the job in full</p>\n");
            }
            h.append("</div>\n");
        }
        h.append("</div>\n");
    }

    private static void grid(StringBuilder h, RunReport report, Map<String, JobTimes> jobs) {
        List<String> nodes = report.nodes().stream().map(RunReport.NodeSummary::node).toList();
        Set<String> samples = new LinkedHashSet<>();
        Map<String, JobTimes> byCell = new HashMap<>();
        for (JobTimes j : jobs.values()) {
            samples.add(j.sample());
            byCell.put(j.node() + "\u0000" + j.sample(), j);
        }
        List<String> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        h.append("<h2>Samples and nodes</h2>\n<p class=\"legend\">");
        for (String s : List.of("succeeded", "cached", "failed", "missing", "never ran")) {
            h.append("<span><span class=\"sw\" style=\"background:").append(COLOURS.get(s)).append("\"></span>").append(s).append("</span>");
        }
        h.append("<span><span class=\"sw\" style=\"background:#ddd\"></span>no job (e.g. a collapsed node)</span></p>\n")
                .append("<table class=\"grid\" id=\"grid\"><tr><th>sample</th>");
        nodes.forEach(n -> h.append("<th>").append(Html.esc(n)).append("</th>"));
        h.append("</tr>\n");
        for (String s : sorted) {
            h.append("<tr><td>").append(Html.esc(s)).append("</td>");
            for (String n : nodes) {
                JobTimes j = byCell.get(n + "\u0000" + s);
                if (j == null) {
                    h.append("<td class=\"s\"></td>");
                    continue;
                }
                h.append("<td class=\"st-").append(j.state().replace(' ', '-')).append("\" data-node=\"").append(Html.esc(n))
                        .append("\" data-sample=\"").append(Html.esc(s)).append("\" data-state=\"").append(Html.esc(j.state()))
                        .append("\" title=\"").append(Html.esc(n + " / " + s + ": " + j.state()
                                + (j.detail() == null ? "" : " (" + j.detail() + ")"))).append("\"></td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void timeline(StringBuilder h, Map<String, JobTimes> jobs) {
        List<Svg.Span> spans = new ArrayList<>();
        for (JobTimes j : jobs.values()) {
            if (j.start() > 0 && j.end() >= j.start()) {
                spans.add(new Svg.Span(j.node(), j.start(), j.end(), COLOURS.getOrDefault(j.state(), "#999"),
                        j.node() + " / " + j.sample() + ": " + j.state() + ", " + Html.seconds(j.end() - j.start())));
            }
        }
        h.append("<h2>Timeline</h2>\n");
        if (spans.isEmpty()) {
            h.append("<p class=\"muted\" id=\"timeline-empty\">No job ran in this run (every result was cached or missing).</p>\n");
            return;
        }
        h.append("<p class=\"note\">One bar per job that ran, from when it began where it ran to its end (the run's "
                + "<code>events.jsonl</code>); jobs of a node that ran at once are stacked.</p>\n")
                .append(Svg.gantt(spans, "timeline", "timeline of the jobs"));
    }

    private static void problems(StringBuilder h, RunReport report) {
        if (report.missing().isEmpty() && report.sinkProblems().isEmpty() && report.problems().isEmpty()) {
            return;
        }
        h.append("<h2>Missing and not written</h2>\n<table id=\"missing\"><tr><th>node</th><th>sample</th><th>why</th></tr>\n");
        List<RunReport.Missing> all = new ArrayList<>(report.missing());
        all.addAll(report.sinkProblems());
        for (RunReport.Missing m : all) {
            h.append("<tr><td>").append(Html.esc(m.node())).append("</td><td>").append(Html.esc(m.sample()))
                    .append("</td><td>").append(Html.esc(m.reason())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        report.problems().forEach(p -> h.append("<p class=\"bad\">").append(Html.esc(p)).append("</p>\n"));
    }
}
