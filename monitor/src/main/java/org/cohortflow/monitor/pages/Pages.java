package org.cohortflow.monitor.pages;

import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.cohortflow.monitor.runs.RunKeys;
import org.cohortflow.monitor.runs.RunStore;
import org.cohortflow.monitor.runs.RunSummary;
import org.cohortflow.server.ServiceKit;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;
import org.cohortflow.server.http.Html;

/**
 * The monitor's pages: the list of runs and one run (its network as a graph with per-node counts, the
 * samples x nodes grid, a timeline and failures). Pages are rendered here with the data they start with;
 * small ES modules served from this jar (no CDN, so they work offline) keep them live over server-sent events.
 */
public final class Pages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final Map<String, String> STATIC = Map.of("runs.js", "text/javascript", "run.js", "text/javascript",
            "graph.js", "text/javascript", "grid.js", "text/javascript", "monitor.css", "text/css");
    private final ServiceKit kit;
    private final RunStore store;

    public Pages(ServiceKit kit, RunStore store) {
        this.kit = kit;
        this.store = store;
    }

    /** Registers the pages and their scripts. */
    public void register(Api api) {
        api.publicGet("/", "Sends a browser to the list of runs", ctx -> ctx.redirect("/runs"));
        api.publicGet("/static/monitor/{file}", "The pages' scripts and stylesheet", ctx -> {
            String file = ctx.pathParam("file");
            String type = STATIC.get(file);
            if (type == null) {
                throw ApiError.notFound("no file '" + file + "'");
            }
            try (InputStream in = Pages.class.getResourceAsStream("/org/cohortflow/monitor/static/" + file)) {
                if (in == null) {
                    throw ApiError.notFound("no file '" + file + "'");
                }
                ctx.contentType(type + "; charset=utf-8").header("Cache-Control", "no-cache").result(in.readAllBytes());
            }
        });
        api.page("/runs", Role.VIEWER, "The list of runs", ctx -> {
            List<RunSummary> runs = kit.database().withHandle(h -> store.list(h, 200, 0));
            StringBuilder rows = new StringBuilder();
            for (RunSummary r : runs) {
                rows.append(row(r));
            }
            ctx.html(Html.page("cohortflow monitor: runs", head()
                    + "<h1>Runs</h1><table id=\"runs\"><thead><tr><th>run</th><th>network</th><th>reported by</th>"
                    + "<th>host</th><th>started</th><th>status</th><th>progress</th></tr></thead><tbody>" + rows
                    + "</tbody></table><p class=\"hint\">" + (runs.isEmpty() ? "No runs yet: <code>cohortflow run ... "
                    + "--monitor URL --monitor-token TOKEN</code> reports one." : "") + "</p>"
                    + "<script type=\"module\" src=\"/static/monitor/runs.js\"></script>"));
        });
        api.page("/runs/{key}", Role.VIEWER, "One run, live", ctx -> {
            String key = RunKeys.check(ctx.pathParam("key"));
            RunSummary r = kit.database().withHandle(h -> store.id(h, key).flatMap(id -> store.summary(h, id)))
                    .orElseThrow(() -> ApiError.notFound("no run '" + key + "'"));
            ctx.html(Html.page("run " + r.name() + " - cohortflow monitor", head()
                    + "<p><a href=\"/runs\">&larr; all runs</a></p>"
                    + "<h1>Run <span id=\"run-name\">" + Html.escape(r.name()) + "</span> of <span id=\"run-network\">"
                    + Html.escape(r.network()) + "</span></h1>"
                    + "<p id=\"run-meta\">status <b id=\"run-status\" class=\"st-" + Html.escape(r.status()) + "\">"
                    + Html.escape(r.status()) + "</b> &middot; <span id=\"run-progress\">" + r.finished() + " / " + r.planned()
                    + "</span> jobs &middot; reported by " + Html.escape(r.reporter()) + " &middot; "
                    + Html.escape(r.executor() == null ? "" : r.executor()) + " on " + Html.escape(r.host() == null ? "?" : r.host())
                    + " &middot; started " + time(r.startedAt()) + " &middot; <span id=\"run-dropped\"></span>"
                    + " <span id=\"live\" class=\"live\">connecting</span></p>"
                    + "<p class=\"small\">run folder <code>" + Html.escape(r.runDir()) + "</code></p>"
                    + "<section><h2>Network</h2><div id=\"graph\"></div>" + legend() + "</section>"
                    + "<section id=\"failures-section\"><h2>Failures</h2><ul id=\"failures\"></ul><div id=\"job-detail\"></div></section>"
                    + "<section><h2>Samples &times; nodes</h2><div id=\"grid\"></div></section>"
                    + "<section><h2>Timeline</h2><canvas id=\"timeline\" width=\"1200\" height=\"160\"></canvas></section>"
                    + "<script>window.cohortflowRun = " + quote(key) + ";</script>"
                    + "<script type=\"module\" src=\"/static/monitor/run.js\"></script>"));
        });
    }

    private static String head() {
        return "<link rel=\"stylesheet\" href=\"/static/monitor/monitor.css\">";
    }

    private static String legend() {
        StringBuilder sb = new StringBuilder("<p class=\"legend\">");
        for (String s : List.of("queued", "running", "succeeded", "cached", "failed", "missing")) {
            sb.append("<span class=\"cell st-").append(s).append("\"></span> ").append(s).append(" &nbsp; ");
        }
        return sb.append("</p>").toString();
    }

    static String row(RunSummary r) {
        int pct = r.planned() == 0 ? 0 : (int) Math.round(100.0 * r.finished() / r.planned());
        return "<tr data-key=\"" + Html.escape(r.key()) + "\"><td><a href=\"/runs/" + Html.escape(r.key()) + "\">"
                + Html.escape(r.name()) + "</a></td><td>" + Html.escape(r.network()) + "</td><td>" + Html.escape(r.reporter())
                + "</td><td>" + Html.escape(r.host()) + "</td><td>" + time(r.startedAt()) + "</td><td class=\"status st-"
                + Html.escape(r.status()) + "\">" + Html.escape(r.status()) + (r.failed() > 0 ? " (" + r.failed() + " failed)" : "")
                + "</td><td><progress max=\"" + Math.max(1, r.planned()) + "\" value=\"" + r.finished() + "\"></progress> "
                + r.finished() + " / " + r.planned() + " (" + pct + "%)</td></tr>";
    }

    private static String time(Instant i) {
        return i == null ? "" : TIME.format(i);
    }

    private static String quote(String s) {
        // Keys are letters, digits, '.', '_' and '-' (RunKeys), so they need no escaping inside a JS string.
        return "\"" + s + "\"";
    }

}
