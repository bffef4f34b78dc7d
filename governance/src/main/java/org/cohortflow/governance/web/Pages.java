package org.cohortflow.governance.web;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.cohortflow.governance.api.ExperimentRoutes;
import org.cohortflow.governance.api.Requests;
import org.cohortflow.governance.model.Action;
import org.cohortflow.governance.model.CallbackExecution;
import org.cohortflow.governance.model.CallbackStore;
import org.cohortflow.governance.model.Experiment;
import org.cohortflow.governance.model.ExperimentStore;
import org.cohortflow.governance.model.JsonText;
import org.cohortflow.governance.model.Scan;
import org.cohortflow.governance.model.Study;
import org.cohortflow.governance.model.StudyStore;
import org.cohortflow.governance.workflow.Workflow;
import org.cohortflow.governance.workflow.WorkflowStore;
import org.cohortflow.server.audit.AuditEntry;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.auth.Caller;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.db.Database;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;
import org.cohortflow.server.http.Html;

/**
 * The governor's pages for people (server-rendered HTML, no script): the studies with their experiments
 * counted per state, a study's experiments by state, and one experiment's history (actions, callbacks
 * with their outcome and run report, notes from the audit log) with a manual transition form for
 * managers.
 */
public final class Pages {
    private final Database db;
    private final WorkflowStore workflows;
    private final ExperimentRoutes experimentRoutes;
    private final AuditLog audit;
    private final StudyStore studies = new StudyStore();
    private final ExperimentStore experiments = new ExperimentStore();
    private final CallbackStore callbacks = new CallbackStore();
    private final org.cohortflow.governance.model.StudyAccess access = new org.cohortflow.governance.model.StudyAccess();

    private final java.nio.file.Path runs;

    /**
     * @param runs the folder pipeline callbacks run in; run reports are served from below it only
     */
    public Pages(Database db, WorkflowStore workflows, ExperimentRoutes experimentRoutes, AuditLog audit, java.nio.file.Path runs) {
        this.runs = runs.toAbsolutePath().normalize();
        this.db = db;
        this.workflows = workflows;
        this.experimentRoutes = experimentRoutes;
        this.audit = audit;
    }

    public void register(Api api) {
        api.page("/", Role.VIEWER, "Studies and their experiments per state", this::home);
        api.page("/studies/{id}", Role.VIEWER, "A study's experiments by state (?state=)", this::study);
        api.page("/experiments/{id}", Role.VIEWER, "One experiment's history and manual transitions", this::experiment);
        api.page("/callbacks/{id}/report", Role.VIEWER, "The report.json of a pipeline callback's run", this::runReport);
        api.post("/experiments/{id}/transition", Role.MANAGER, "Manual transition from the experiment page (form: to, reason)", null, ctx -> {
            long id = Api.idParam(ctx, "id");
            String to = ctx.formParam("to");
            if (to == null || to.isBlank()) {
                throw ApiError.badRequest("to", "'to' is required");
            }
            experimentRoutes.transition(id, new Requests.TransitionRequest(to, ctx.formParam("reason")), Api.caller(ctx));
            ctx.redirect("/experiments/" + id, io.javalin.http.HttpStatus.SEE_OTHER);
        });
    }

    private boolean mayChange(org.jdbi.v3.core.Handle h, Caller caller, Experiment e) {
        Study s = studies.studyByName(h, e.study()).orElseThrow();
        try {
            access.requireChange(h, caller, s.id(), s.name());
            return true;
        } catch (ApiError denied) {
            return false;
        }
    }

    private static String nav(Caller c) {
        return "<nav><a href=\"/\">Studies</a><a href=\"/openapi.json\">API</a>"
                + "<form method=\"post\" action=\"/logout\" style=\"display:inline\"><button id=\"logout\">Log out "
                + Html.escape(c.name()) + "</button></form></nav>";
    }

    private void home(Context ctx) {
        StringBuilder b = new StringBuilder(nav(Api.caller(ctx))).append("<h1>Studies</h1>");
        db.jdbi().useHandle(h -> {
            List<Study> all = studies.studies(h, 1000, 0);
            if (all.isEmpty()) {
                b.append("<p>No studies yet.</p>");
            }
            for (Study s : all) {
                b.append("<h2><a class=\"study\" href=\"/studies/").append(s.id()).append("\">").append(Html.escape(s.name()))
                        .append("</a></h2><table class=\"states\"><tr><th>state</th><th>experiments</th></tr>");
                for (Map.Entry<String, Long> e : experiments.countByState(h, s.id()).entrySet()) {
                    b.append("<tr><td><a href=\"/studies/").append(s.id()).append("?state=").append(Html.escape(e.getKey())).append("\">")
                            .append(Html.escape(e.getKey())).append("</a></td><td class=\"count\" data-state=\"").append(Html.escape(e.getKey()))
                            .append("\">").append(e.getValue()).append("</td></tr>");
                }
                b.append("</table>");
            }
        });
        ctx.html(Html.page("Study governor", b.toString()));
    }

    private void study(Context ctx) {
        long id = Api.idParam(ctx, "id");
        String state = ctx.queryParam("state");
        StringBuilder b = new StringBuilder(nav(Api.caller(ctx)));
        db.jdbi().useHandle(h -> {
            Study s = studies.study(h, id).orElseThrow(() -> ApiError.notFound("no study " + id));
            b.append("<h1>").append(Html.escape(s.name())).append("</h1><p>").append(Html.escape(s.description())).append("</p>");
            b.append("<p>States: ");
            for (Map.Entry<String, Long> e : experiments.countByState(h, id).entrySet()) {
                b.append("<a href=\"?state=").append(Html.escape(e.getKey())).append("\">").append(Html.escape(e.getKey()))
                        .append(" (").append(e.getValue()).append(")</a> ");
            }
            b.append("<a href=\"?\">all</a></p>");
            List<Experiment> list = experiments.list(h, new ExperimentStore.Filter(s.name(), state, null, 500, 0));
            b.append("<table id=\"experiments\"><tr><th>subject</th><th>experiment</th><th>state</th><th>since</th></tr>");
            for (Experiment e : list) {
                b.append("<tr><td>").append(Html.escape(e.subject())).append("</td><td><a class=\"experiment\" href=\"/experiments/")
                        .append(e.id()).append("\">").append(Html.escape(e.label())).append("</a></td><td>").append(Html.escape(e.state()))
                        .append("</td><td>").append(e.enteredAt()).append("</td></tr>");
            }
            b.append("</table>");
        });
        ctx.html(Html.page("Study", b.toString()));
    }

    private void experiment(Context ctx) {
        long id = Api.idParam(ctx, "id");
        Caller caller = Api.caller(ctx);
        StringBuilder b = new StringBuilder(nav(caller));
        db.jdbi().useHandle(h -> {
            Experiment e = experiments.find(h, id).orElseThrow(() -> ApiError.notFound("no experiment " + id));
            Workflow w = workflows.load(h, e.workflowId());
            b.append("<h1>").append(Html.escape(e.study())).append(" / ").append(Html.escape(e.subject())).append(" / ")
                    .append(Html.escape(e.label())).append("</h1>");
            b.append("<p>State: <strong id=\"state\">").append(Html.escape(e.state())).append("</strong> since ").append(e.enteredAt())
                    .append(" (workflow ").append(Html.escape(w.name())).append(")</p>");
            List<Workflow.Transition> manual = w.state(e.state()).transitions();
            if (caller.has(Role.MANAGER) && !manual.isEmpty() && mayChange(h, caller, e)) {
                b.append("<form id=\"transition\" method=\"post\" action=\"/experiments/").append(id).append("/transition\">")
                        .append("<label>Move to <select name=\"to\" id=\"to\">");
                for (Workflow.Transition t : manual) {
                    b.append("<option value=\"").append(Html.escape(t.to())).append("\">").append(Html.escape(t.to())).append("</option>");
                }
                b.append("</select></label> <label>Reason <input name=\"reason\" id=\"reason\"></label> ")
                        .append("<button type=\"submit\" id=\"move\">Move</button></form>");
            }
            b.append("<h2>Variables</h2><table id=\"variables\"><tr><th>name</th><th>value</th></tr>");
            experiments.variables(h, id).forEach((k, v) -> b.append("<tr><td>").append(Html.escape(k)).append("</td><td>")
                    .append(Html.escape(JsonText.write(v))).append("</td></tr>"));
            b.append("</table><h2>Scans</h2><table id=\"scans\"><tr><th>label</th><th>modality</th><th>archive</th></tr>");
            for (Scan s : experiments.scans(h, id)) {
                b.append("<tr><td>").append(Html.escape(s.label())).append("</td><td>").append(Html.escape(s.modality()))
                        .append("</td><td>").append(Html.escape(s.url())).append("</td></tr>");
            }
            // Scans a newer one with the same label replaced (a corrected RTSTRUCT): the history a reviewer asks about.
            for (var old : experiments.supersededScans(h, id)) {
                b.append("<tr class=\"superseded\"><td>").append(Html.escape(old.scan().label())).append(" (superseded ")
                        .append(old.supersededAt()).append(")</td><td>").append(Html.escape(old.scan().modality()))
                        .append("</td><td><del>").append(Html.escape(old.scan().url())).append("</del></td></tr>");
            }
            b.append("</table><h2>History</h2><table id=\"actions\"><tr><th>when</th><th>from</th><th>to</th><th>how</th><th>who</th><th>why</th></tr>");
            for (Action a : experiments.actions(h, id)) {
                b.append("<tr class=\"action\"><td>").append(a.at()).append("</td><td>").append(Html.escape(a.from())).append("</td><td>")
                        .append(Html.escape(a.to())).append("</td><td>").append(Html.escape(a.kind())).append("</td><td>")
                        .append(Html.escape(a.actor())).append("</td><td>").append(Html.escape(a.reason())).append("</td></tr>");
            }
            b.append("</table><h2>Callbacks</h2><table id=\"callbacks\"><tr><th>name</th><th>type</th><th>status</th><th>result</th>"
                    + "<th>attempts</th><th>message</th><th>run report</th></tr>");
            for (CallbackExecution c : callbacks.forExperiment(h, id)) {
                String cls = "success".equals(c.result()) ? "ok" : c.result() == null ? "" : "bad";
                // Links only for pipeline runs (other callbacks' output is whatever a webhook answered), and only http(s).
                Map<String, Object> out = c.output() == null || !"pipeline".equals(c.type()) ? Map.of() : JsonText.objectMap(c.output());
                Object monitor = out.get("monitor");
                if (monitor != null && !monitor.toString().matches("https?://.*")) {
                    monitor = null;
                }
                b.append("<tr class=\"callback\"><td>").append(Html.escape(c.name())).append("</td><td>").append(Html.escape(c.type()))
                        .append("</td><td>").append(Html.escape(c.status())).append("</td><td class=\"").append(cls).append("\">")
                        .append(Html.escape(c.result())).append("</td><td>").append(c.attempts()).append('/').append(c.maxAttempts())
                        .append("</td><td>").append(Html.escape(c.message())).append("</td><td>")
                        .append(out.get("report") == null ? "" : "<a class=\"report\" href=\"/callbacks/" + c.id() + "/report\">report.json</a>")
                        .append(monitor == null ? "" : " <a class=\"monitor\" href=\"" + Html.escape(monitor.toString())
                                + "\">live run (monitor)</a>")
                        .append("</td></tr>");
            }
            b.append("</table><h2>Notes</h2><ul id=\"notes\">");
            for (AuditEntry n : audit.list(h, "experiment/" + id, 50, 0)) {
                b.append("<li>").append(n.at()).append(" ").append(Html.escape(n.actor())).append(" <code>").append(Html.escape(n.action()))
                        .append("</code> ").append(Html.escape(n.details())).append("</li>");
            }
            b.append("</ul>");
        });
        ctx.html(Html.page("Experiment " + id, b.toString()));
    }

    /**
     * Serves a pipeline run's report.json over HTTP, so that the page links to something a browser opens
     * (the file lives on the governor's machine). Only files below the runs folder are served.
     */
    private void runReport(Context ctx) throws java.io.IOException {
        long id = Api.idParam(ctx, "id");
        CallbackExecution c = db.withHandle(h -> callbacks.find(h, id))
                .orElseThrow(() -> ApiError.notFound("no callback " + id));
        Object report = c.output() == null || !"pipeline".equals(c.type()) ? null : JsonText.objectMap(c.output()).get("report");
        if (report == null) {
            throw ApiError.notFound("callback " + id + " has no run report");
        }
        java.nio.file.Path file;
        try {
            file = java.nio.file.Path.of(java.net.URI.create(report.toString())).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw ApiError.notFound("callback " + id + "'s run report is not a local file: " + report);
        }
        if (!file.startsWith(runs) || !java.nio.file.Files.isRegularFile(file)
                || !file.toRealPath().startsWith(runs.toFile().getCanonicalFile().toPath())) {
            throw ApiError.notFound("callback " + id + "'s run report is not in the governor's runs folder");
        }
        ctx.contentType("application/json").result(java.nio.file.Files.readAllBytes(file));
    }
}
