package org.cohortflow.executors.report.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Inline SVG charts for report pages: horizontal bars and a timeline (Gantt) of spans in lanes. */
public final class Svg {
    private Svg() {}

    /** One bar: its label, length, the text after it and its colour. */
    public record Bar(String label, double value, String text, String colour) {}

    /**
     * A span of time on a lane (a job of a node): from {@code start} to {@code end} (epoch milliseconds),
     * coloured, with a tooltip.
     */
    public record Span(String lane, long start, long end, String colour, String tooltip) {}

    /** A horizontal bar chart, labels on the left, bars scaled to the largest value. */
    public static String bars(List<Bar> bars, String ariaLabel) {
        int labelW = 260;
        int barW = 420;
        int rowH = 24;
        double max = bars.stream().mapToDouble(Bar::value).max().orElse(1);
        if (max <= 0) {
            max = 1;
        }
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"").append(labelW + barW + 150).append("\" height=\"")
                .append(bars.size() * rowH + 8).append("\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"")
                .append(Html.esc(ariaLabel)).append("\">\n");
        int y = 4;
        for (Bar b : bars) {
            double w = Math.max(1, barW * b.value() / max);
            s.append("<text x=\"").append(labelW - 6).append("\" y=\"").append(y + 16).append("\" text-anchor=\"end\">")
                    .append(Html.esc(b.label())).append("</text><rect x=\"").append(labelW).append("\" y=\"").append(y + 3)
                    .append("\" width=\"").append(Html.fixed(w, 1)).append("\" height=\"").append(rowH - 6).append("\" fill=\"")
                    .append(b.colour()).append("\"/><text x=\"").append(Html.fixed(labelW + w + 5, 1)).append("\" y=\"")
                    .append(y + 16).append("\">").append(Html.esc(b.text())).append("</text>\n");
            y += rowH;
        }
        return s.append("</svg>\n").toString();
    }

    /**
     * A timeline: one band per lane (in first-seen order), spans that overlap in time stacked in rows of the
     * band so that none hides another, a time axis in seconds from the first start.
     *
     * @param id the SVG element's id
     */
    public static String gantt(List<Span> spans, String id, String ariaLabel) {
        int labelW = 170;
        int plotW = 860;
        int rowH = 12;
        long t0 = spans.stream().mapToLong(Span::start).min().orElse(0);
        long t1 = spans.stream().mapToLong(Span::end).max().orElse(t0 + 1);
        double span = Math.max(1, t1 - t0);
        // Each lane's rows: a span goes into the first row whose last span ended before it starts.
        Map<String, List<Long>> rowEnds = new LinkedHashMap<>();
        List<int[]> placed = new ArrayList<>();
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort((a, b) -> Long.compare(a.start(), b.start()));
        for (Span sp : sorted) {
            List<Long> ends = rowEnds.computeIfAbsent(sp.lane(), k -> new ArrayList<>());
            int row = 0;
            while (row < ends.size() && ends.get(row) > sp.start()) {
                row++;
            }
            if (row == ends.size()) {
                ends.add(sp.end());
            } else {
                ends.set(row, sp.end());
            }
            placed.add(new int[] {row});
        }
        Map<String, Integer> laneTop = new LinkedHashMap<>();
        int y = 4;
        for (var e : rowEnds.entrySet()) {
            laneTop.put(e.getKey(), y);
            y += Math.max(1, e.getValue().size()) * rowH + 8;
        }
        int height = y + 22;
        StringBuilder s = new StringBuilder();
        s.append("<svg id=\"").append(Html.esc(id)).append("\" width=\"")
                .append(labelW + plotW + 20).append("\" height=\"").append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"").append(Html.esc(ariaLabel)).append("\">\n");
        laneTop.forEach((lane, top) -> {
            int rows = Math.max(1, rowEnds.get(lane).size());
            s.append("<rect x=\"").append(labelW).append("\" y=\"").append(top - 2).append("\" width=\"").append(plotW)
                    .append("\" height=\"").append(rows * rowH + 4).append("\" fill=\"#f7f7f7\"/>")
                    .append("<text x=\"").append(labelW - 6).append("\" y=\"").append(top + 10).append("\" text-anchor=\"end\">")
                    .append(Html.esc(lane)).append("</text>\n");
        });
        for (int i = 0; i < sorted.size(); i++) {
            Span sp = sorted.get(i);
            double x = labelW + plotW * (sp.start() - t0) / span;
            double w = Math.max(1.5, plotW * (sp.end() - sp.start()) / span);
            int top = laneTop.get(sp.lane()) + placed.get(i)[0] * rowH;
            s.append("<rect class=\"span\" data-lane=\"").append(Html.esc(sp.lane())).append("\" x=\"").append(Html.fixed(x, 1))
                    .append("\" y=\"").append(top).append("\" width=\"").append(Html.fixed(w, 1)).append("\" height=\"")
                    .append(rowH - 2).append("\" fill=\"").append(sp.colour()).append("\"><title>").append(Html.esc(sp.tooltip()))
                    .append("</title></rect>\n");
        }
        int axisY = y + 4;
        s.append("<line x1=\"").append(labelW).append("\" y1=\"").append(axisY).append("\" x2=\"").append(labelW + plotW)
                .append("\" y2=\"").append(axisY).append("\" stroke=\"#999\"/>");
        for (int k = 0; k <= 5; k++) {
            double x = labelW + plotW * k / 5.0;
            s.append("<text x=\"").append(Html.fixed(x, 1)).append("\" y=\"").append(axisY + 14).append("\" text-anchor=\"")
                    .append(k == 0 ? "start" : k == 5 ? "end" : "middle").append("\" fill=\"#666\">")
                    .append(Html.fixed(span * k / 5.0 / 1000, 1)).append(" s</text>");
        }
        return s.append("\n</svg>\n").toString();
    }
}
