package org.cohortflow.cli;

import static org.cohortflow.executors.report.html.Html.esc;
import static org.cohortflow.executors.report.html.Html.fmt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.table.FeatureRow;
import org.cohortflow.executors.report.html.HtmlPage;
import org.cohortflow.executors.report.html.Svg;

/**
 * The demo's HTML report: one self-contained page (inline CSS and SVG, no scripts or downloads, so it
 * opens anywhere, offline) with the subjects' status and volume check, the time per stage and a strip
 * plot per feature showing how the subjects spread. Built with the report kit
 * ({@code org.cohortflow.executors.report.html}) that the run's {@code report.html} uses.
 */
final class DemoReport {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private DemoReport() {}

    /** Writes the report to {@code file}. */
    static void write(DemoResult r, Path file) throws IOException {
        Files.writeString(file, html(r), StandardCharsets.UTF_8);
    }

    static String html(DemoResult r) {
        HtmlPage page = new HtmlPage("cohortflow demo: " + r.network())
                .css(".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:6px 14px}")
                .css(".card{border:1px solid #eee;border-radius:4px;padding:4px 6px}")
                .css(".card .n{font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}")
                .css(".legend span{margin-right:14px;white-space:nowrap}")
                .css(".dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px;vertical-align:middle}");
        StringBuilder h = page.body();
        long ok = r.okSubjects();
        int perSubject = featuresPerSubject(r);
        h.append("<h1>cohortflow demo: CT radiomics on a synthetic cohort</h1>\n<p class=\"lead\">network <b>")
                .append(esc(r.network())).append("</b> on ").append(esc(r.executor())).append(" &middot; ")
                .append(r.subjects().size()).append(" subjects: <span class=\"").append(ok == r.subjects().size() ? "ok" : "bad")
                .append("\">").append(ok).append(" ok, ").append(r.subjects().size() - ok).append(" failed</span> &middot; ")
                .append(perSubject).append(" features per subject &middot; run ").append(fmt("%.1f", r.runSeconds()))
                .append(" s</p>\n");

        subjects(h, r);
        stages(h, r);
        distributions(h, r);

        h.append("<h2>Outputs</h2>\n<ul>");
        for (String o : r.outputs()) {
            h.append("<li><a href=\"").append(esc(o)).append("\">").append(esc(o)).append("</a></li>");
        }
        h.append("</ul>\n<p class=\"muted\">Every output has its W3C PROV-JSON document beside it (<code>.prov.json</code>); "
                + "the run folder holds each job's record, <code>events.jsonl</code>, <code>report.json</code> and the run's own "
                + "page with its status grid and job timeline: <a href=\"work/radiomics/report.html\">work/radiomics/report.html</a>.</p>\n");
        return page.render();
    }

    private static void subjects(StringBuilder h, DemoResult r) {
        h.append("<h2>Subjects</h2>\n<p class=\"muted\">Sanity check: each synthetic lesion has a known analytic volume "
                + "(4/3&pi;abc). The IBSI mesh volume (RNU0, after 2 mm resampling) should be within a few percent.</p>\n");
        h.append("<table><tr><th>subject</th><th>lesion</th><th>status</th><th>analytic volume (mm&sup3;)</th>"
                + "<th>mesh volume (mm&sup3;)</th><th>difference</th><th>defined features</th><th>job time (s)</th></tr>\n");
        for (DemoResult.Subject s : r.subjects()) {
            boolean measured = !Double.isNaN(s.meshVolume());
            h.append("<tr><td><span class=\"dot\" style=\"background:").append(colour(r, s.id())).append("\"></span>")
                    .append(esc(s.id())).append("</td><td>").append(esc(s.shape())).append("</td><td class=\"")
                    .append(s.status().equals("ok") ? "ok" : "bad").append("\"")
                    .append(s.error() == null ? "" : " title=\"" + esc(s.error()) + "\"").append(">")
                    .append(esc(s.status())).append("</td><td>").append(fmt("%.0f", s.analyticVolume())).append("</td><td>")
                    .append(measured ? fmt("%.0f", s.meshVolume()) : "&ndash;").append("</td><td>")
                    .append(measured ? fmt("%+.2f %%", 100 * s.volumeError()) : "&ndash;").append("</td><td>")
                    .append(s.definedFeatures()).append("</td><td>").append(fmt("%.2f", s.jobSeconds())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void stages(StringBuilder h, DemoResult r) {
        h.append("<h2>Time per stage</h2>\n<p class=\"muted\">Bars: the stage's compute time summed over its jobs "
                + "(for synthesis and executor start: their duration). Jobs of one subject run fused in one task, "
                + "so stages overlap; the run took ").append(fmt("%.1f", r.runSeconds())).append(" s in all.</p>\n");
        List<Svg.Bar> bars = new ArrayList<>();
        for (DemoResult.Stage s : r.stages()) {
            bars.add(new Svg.Bar(s.name() + (s.jobs() > 0 ? " (" + s.jobs() + (s.jobs() == 1 ? " job)" : " jobs)") : ""),
                    s.jobSeconds(), fmt("%.2f s", s.jobSeconds()), s.jobs() > 0 ? "#4c78a8" : "#9ecae9"));
        }
        h.append(Svg.bars(bars, "time per stage"));
        h.append("<table><tr><th>stage</th><th>jobs</th><th>cached</th><th>compute (s)</th><th>wall (s)</th></tr>\n");
        for (DemoResult.Stage s : r.stages()) {
            h.append("<tr><td>").append(esc(s.name())).append("</td><td>").append(s.jobs()).append("</td><td>")
                    .append(s.cached()).append("</td><td>").append(fmt("%.2f", s.jobSeconds())).append("</td><td>")
                    .append(fmt("%.2f", s.wallSeconds())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void distributions(StringBuilder h, DemoResult r) {
        h.append("<h2>Feature distributions</h2>\n<p class=\"muted\">One strip per feature, one dot per subject, "
                + "from the cohort's smallest to its largest value (hover a dot for its value). Features undefined "
                + "for every subject say why.</p>\n<p class=\"legend\">");
        for (DemoResult.Subject s : r.subjects()) {
            h.append("<span><span class=\"dot\" style=\"background:").append(colour(r, s.id())).append("\"></span>")
                    .append(esc(s.id())).append("</span>");
        }
        h.append("</p>\n");
        Map<FeatureFamily, Map<String, List<FeatureRow>>> byFamily = new LinkedHashMap<>();
        for (FeatureRow row : r.features().rows()) {
            Feature f = row.feature();
            String key = f.name() + " \u00b7 " + f.aggregation().label() + " \u00b7 " + f.ibsiCode();
            byFamily.computeIfAbsent(f.family(), k -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        byFamily.forEach((family, features) -> {
            h.append("<h3>").append(esc(title(family))).append(" <span class=\"muted\">(").append(esc(family.shortName()))
                    .append(", ").append(features.size()).append(" features)</span></h3>\n<div class=\"grid\">\n");
            features.forEach((name, rows) -> strip(h, r, name, rows));
            h.append("</div>\n");
        });
    }

    private static void strip(StringBuilder h, DemoResult r, String name, List<FeatureRow> rows) {
        h.append("<div class=\"card\"><div class=\"n\" title=\"").append(esc(name)).append("\">").append(esc(name)).append("</div>");
        List<FeatureRow> defined = rows.stream().filter(x -> x.feature().isDefined()).toList();
        if (defined.isEmpty()) {
            h.append("<div class=\"muted\">undefined: ").append(esc(rows.get(0).feature().reason())).append("</div></div>\n");
            return;
        }
        double min = defined.stream().mapToDouble(x -> x.feature().value()).min().orElseThrow();
        double max = defined.stream().mapToDouble(x -> x.feature().value()).max().orElseThrow();
        int w = 250;
        int left = 8;
        int span = w - 2 * left;
        h.append("<svg width=\"").append(w).append("\" height=\"40\"><line x1=\"").append(left).append("\" y1=\"20\" x2=\"")
                .append(w - left).append("\" y2=\"20\" stroke=\"#ccc\"/>");
        for (int i = 0; i < defined.size(); i++) {
            FeatureRow x = defined.get(i);
            double v = x.feature().value();
            double px = max > min ? left + span * (v - min) / (max - min) : left + span / 2.0;
            // Subjects alternate above and below the axis so that equal values stay visible.
            int py = 14 + (i % 3) * 6;
            h.append("<circle cx=\"").append(fmt("%.1f", px)).append("\" cy=\"").append(py).append("\" r=\"4\" fill=\"")
                    .append(colour(r, x.sample())).append("\" fill-opacity=\"0.85\"><title>").append(esc(x.sample()))
                    .append(": ").append(esc(num(v))).append("</title></circle>");
        }
        h.append("<text x=\"").append(left).append("\" y=\"37\" font-size=\"10\" fill=\"#666\">").append(esc(num(min)))
                .append("</text><text x=\"").append(w - left).append("\" y=\"37\" font-size=\"10\" fill=\"#666\" text-anchor=\"end\">")
                .append(esc(num(max))).append("</text></svg>");
        if (defined.size() < rows.size()) {
            h.append("<div class=\"muted\">").append(rows.size() - defined.size()).append(" undefined</div>");
        }
        h.append("</div>\n");
    }

    private static int featuresPerSubject(DemoResult r) {
        if (r.subjects().isEmpty()) {
            return 0;
        }
        String first = r.subjects().get(0).id();
        return (int) r.features().rows().stream().filter(x -> x.sample().equals(first)).count();
    }

    private static String colour(DemoResult r, String subject) {
        for (int i = 0; i < r.subjects().size(); i++) {
            if (r.subjects().get(i).id().equals(subject)) {
                return COLOURS[i % COLOURS.length];
            }
        }
        return "#444";
    }

    private static String title(FeatureFamily f) {
        if (f.name().length() <= 5) {
            return f.name(); // the texture matrices' acronyms: GLCM, GLRLM, NGTDM, ...
        }
        String s = f.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String num(double v) {
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e9) {
            return Long.toString((long) v);
        }
        if (a >= 1e6 || a < 1e-3) {
            return fmt("%.3e", v);
        }
        // Four significant digits without switching to exponents below a million.
        return a >= 1000 ? fmt("%.0f", v) : fmt("%.4g", v);
    }

}
