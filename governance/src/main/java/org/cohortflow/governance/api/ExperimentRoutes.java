package org.cohortflow.governance.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cohortflow.governance.callback.HttpCallback;
import org.cohortflow.governance.callback.Outcome;
import org.cohortflow.governance.engine.Engine;
import org.cohortflow.governance.model.Experiment;
import org.cohortflow.governance.model.ExperimentStore;
import org.cohortflow.governance.model.JsonText;
import org.cohortflow.governance.model.CallbackStore;
import org.cohortflow.governance.model.Study;
import org.cohortflow.governance.model.StudyAccess;
import org.cohortflow.governance.model.StudyStore;
import org.cohortflow.governance.model.Subject;
import org.cohortflow.governance.workflow.VariableType;
import org.cohortflow.governance.workflow.Workflow;
import org.cohortflow.governance.workflow.WorkflowStore;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.auth.Caller;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.db.Database;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;
import org.jdbi.v3.core.Handle;

/**
 * {@code /api/v1/experiments}: create experiments, read their state, history, variables, scans and
 * callbacks, change variables and states; and {@code /api/v1/callbacks/{id}}, where asynchronous callbacks
 * answer with their secret.
 */
public final class ExperimentRoutes {
    private final Database db;
    private final Engine engine;
    private final WorkflowStore workflows;
    private final AuditLog audit;
    private final Clock clock;
    private final StudyStore studies = new StudyStore();
    private final ExperimentStore experiments = new ExperimentStore();
    private final CallbackStore callbacks = new CallbackStore();
    private final StudyAccess access = new StudyAccess();

    public ExperimentRoutes(Database db, Engine engine, WorkflowStore workflows, AuditLog audit, Clock clock) {
        this.db = db;
        this.engine = engine;
        this.workflows = workflows;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(Api api) {
        api.post("/api/v1/experiments", Role.MANAGER, "Create an experiment (and its subject if new); it enters its workflow's initial state",
                Requests.NewExperiment.class, ctx -> {
                    Requests.NewExperiment req = api.body(ctx, Requests.NewExperiment.class);
                    Caller caller = Api.caller(ctx);
                    String by = caller.name();
                    long id = engine.inTransaction((h, fx) -> {
                        Study study = studies.studyByName(h, req.study())
                                .orElseThrow(() -> ApiError.badRequest("study", "no study '" + req.study() + "'"));
                        access.requireChange(h, caller, study.id(), study.name());
                        long workflowId = workflowFor(h, study, req.workflow());
                        Workflow w = workflows.load(h, workflowId);
                        Subject subject = studies.subject(h, study.id(), req.subject()).orElseGet(() -> {
                            Subject s = studies.createSubject(h, study.id(), req.subject(), Map.of(), clock.instant());
                            audit.record(h, by, "subject.create", "study/" + study.id() + "/subject/" + s.id(), req.subject());
                            return s;
                        });
                        if (experiments.byLabel(h, subject.id(), req.label()).isPresent()) {
                            throw ApiError.conflict("subject '" + req.subject() + "' already has experiment '" + req.label() + "'");
                        }
                        long made = experiments.create(h, subject.id(), req.label(), workflowId, w.initial(), req.externalIds(), clock.instant());
                        for (int i = 0; i < req.scans().size(); i++) {
                            Requests.NewScan s = req.scans().get(i);
                            experiments.addScan(h, made, s.label(), s.modality(), s.kind(), s.url(), clock.instant());
                        }
                        for (Map.Entry<String, Object> v : req.variables().entrySet()) {
                            setVariable(h, w, made, v.getKey(), v.getValue(), by, "variables." + v.getKey());
                        }
                        engine.enterInitial(h, fx, made, by);
                        return made;
                    });
                    ctx.status(201).json(view(id));
                });
        api.get("/api/v1/experiments", Role.VIEWER, "List experiments (?study=&state=&subject=&limit=&offset=)", ctx -> {
            ExperimentStore.Filter f = new ExperimentStore.Filter(ctx.queryParam("study"), ctx.queryParam("state"),
                    ctx.queryParam("subject"), Api.intQuery(ctx, "limit", 100, 1, 1000),
                    Api.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE));
            ctx.json(db.withHandle(h -> experiments.list(h, f)));
        });
        api.get("/api/v1/experiments/{id}", Role.VIEWER, "One experiment with its state, variables and scans", ctx ->
                ctx.json(view(Api.idParam(ctx, "id"))));
        api.get("/api/v1/experiments/{id}/actions", Role.VIEWER, "An experiment's changes of state, oldest first", ctx -> {
            long id = Api.idParam(ctx, "id");
            ctx.json(db.withHandle(h -> {
                find(h, id);
                return experiments.actions(h, id);
            }));
        });
        api.get("/api/v1/experiments/{id}/callbacks", Role.VIEWER, "An experiment's callback executions, oldest first", ctx -> {
            long id = Api.idParam(ctx, "id");
            ctx.json(db.withHandle(h -> {
                find(h, id);
                return callbacks.forExperiment(h, id);
            }));
        });
        api.get("/api/v1/experiments/{id}/variables", Role.VIEWER, "An experiment's variables", ctx -> {
            long id = Api.idParam(ctx, "id");
            ctx.json(db.withHandle(h -> {
                find(h, id);
                return experiments.variables(h, id);
            }));
        });
        api.put("/api/v1/experiments/{id}/variables/{name}", Role.MANAGER,
                "Set a variable (typed as the workflow declares); transitions waiting on it are tried", Requests.VariableValue.class, ctx -> {
                    long id = Api.idParam(ctx, "id");
                    String name = ctx.pathParam("name");
                    Requests.VariableValue req = api.body(ctx, Requests.VariableValue.class);
                    Caller caller = Api.caller(ctx);
                    String by = caller.name();
                    engine.inTransaction((h, fx) -> {
                        Experiment e = experiments.lock(h, id).orElseThrow(() -> ApiError.notFound("no experiment " + id));
                        requireChange(h, caller, e);
                        setVariable(h, workflows.load(h, e.workflowId()), id, name, req.value(), by, "value");
                        engine.advance(h, fx, id);
                        return null;
                    });
                    ctx.json(view(id));
                });
        api.get("/api/v1/experiments/{id}/scans", Role.VIEWER,
                "An experiment's current scans and the scans newer ones with the same label superseded", ctx -> {
                    long id = Api.idParam(ctx, "id");
                    ctx.json(db.withHandle(h -> {
                        find(h, id);
                        return Map.of("scans", experiments.scans(h, id), "superseded", experiments.supersededScans(h, id));
                    }));
                });
        api.post("/api/v1/experiments/{id}/scans", Role.MANAGER,
                "Add scans to an experiment (a known label with a new URL supersedes the current scan; the same URL changes"
                        + " nothing); the current state's transitions are tried again, and conditions see the new scans as scans_added",
                Requests.NewScans.class, ctx -> {
                    long id = Api.idParam(ctx, "id");
                    Requests.NewScans req = api.body(ctx, Requests.NewScans.class);
                    Caller caller = Api.caller(ctx);
                    ScanChanges changes = engine.inTransaction((h, fx) -> addScans(h, fx, id, req, caller));
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("added", changes.added());
                    answer.put("superseded", changes.superseded());
                    answer.put("unchanged", changes.unchanged());
                    answer.putAll(view(id));
                    ctx.status(changes.any() ? 201 : 200).json(answer);
                });
        api.post("/api/v1/experiments/{id}/transition", Role.MANAGER,
                "Move an experiment along a transition of its workflow (409 when the workflow has no such transition)",
                Requests.TransitionRequest.class, ctx -> {
                    long id = Api.idParam(ctx, "id");
                    Requests.TransitionRequest req = api.body(ctx, Requests.TransitionRequest.class);
                    transition(id, req, Api.caller(ctx));
                    ctx.json(view(id));
                });
        for (String method : new String[] {"PUT", "POST"}) {
            api.callback(method, "/api/v1/callbacks/{id}",
                    "Answer of an asynchronous callback, authenticated by its secret in header " + HttpCallback.SECRET_HEADER
                            + ": {result: success|failed, message, output, variables} or a task service task",
                    null, ctx -> {
                        long id = Api.idParam(ctx, "id");
                        String secret = ctx.header(HttpCallback.SECRET_HEADER);
                        if (secret == null || secret.isBlank()) {
                            throw ApiError.unauthorized("header " + HttpCallback.SECRET_HEADER + " with the callback's secret is required");
                        }
                        Outcome.Finished result = parseAnswer(api.json().tree(ctx.bodyAsBytes()));
                        Engine.ExternalResult r = engine.answer(id, secret, result);
                        switch (r) {
                            case ACCEPTED -> ctx.json(Map.of("status", "accepted"));
                            case ALREADY_RESOLVED -> ctx.json(Map.of("status", "already resolved"));
                            case NO_SUCH_CALLBACK -> throw ApiError.notFound("no callback " + id);
                            case WRONG_SECRET -> {
                                db.useTransaction(h -> audit.record(h, "anonymous", "callback.rejected", "callback/" + id, "wrong secret"));
                                throw ApiError.unauthorized("wrong secret for callback " + id);
                            }
                            default -> throw new IllegalStateException(r.toString());
                        }
                    });
        }
    }

    /** A manual transition; also used by the web page. */
    public void transition(long id, Requests.TransitionRequest req, Caller by) {
        Engine.ManualResult r = engine.inTransaction((h, fx) -> {
            experiments.find(h, id).ifPresent(e -> requireChange(h, by, e));
            return engine.transitionManually(h, fx, id, req.to(), by.name(), req.reason());
        });
        switch (r) {
            case FIRED -> { }
            case NO_EXPERIMENT -> throw ApiError.notFound("no experiment " + id);
            case UNKNOWN_STATE -> throw ApiError.badRequest("to", "the workflow has no state '" + req.to() + "'");
            case NOT_A_TRANSITION -> {
                String state = db.withHandle(h -> experiments.find(h, id).orElseThrow().state());
                throw ApiError.conflict("the workflow has no transition from '" + state + "' to '" + req.to() + "'");
            }
            default -> throw new IllegalStateException(r.toString());
        }
    }

    /**
     * Adds, supersedes or keeps each scan (in the caller's transaction, the experiment locked), audits each
     * change and, when anything changed, lets the engine try the current state's transitions.
     */
    /** The labels a request for scans added, superseded and left as they were. */
    private record ScanChanges(java.util.List<String> added, java.util.List<String> superseded, java.util.List<String> unchanged) {
        boolean any() {
            return !added.isEmpty() || !superseded.isEmpty();
        }
    }

    private ScanChanges addScans(Handle h, org.cohortflow.governance.engine.Effects fx, long id, Requests.NewScans req,
                                 Caller caller) {
        Experiment e = experiments.lock(h, id).orElseThrow(() -> ApiError.notFound("no experiment " + id));
        requireChange(h, caller, e);
        String by = caller.name();
        String why = req.reason().isBlank() ? "" : " (" + req.reason() + ")";
        java.util.List<String> added = new java.util.ArrayList<>();
        java.util.List<String> superseded = new java.util.ArrayList<>();
        java.util.List<String> unchanged = new java.util.ArrayList<>();
        for (Requests.NewScan s : req.scans()) {
            var current = experiments.scan(h, id, s.label());
            if (current.isPresent() && current.get().url().equals(s.url())) {
                unchanged.add(s.label()); // a resend (e.g. the intake after a kill): nothing to do
                continue;
            }
            var scan = experiments.addOrSupersedeScan(h, id, e.entryActionId(), s.label(), s.modality(), s.kind(), s.url(), clock.instant());
            if (current.isPresent()) {
                superseded.add(s.label());
                audit.record(h, by, "scan.supersede", "experiment/" + id, s.label() + " " + current.get().url() + " (scan "
                        + current.get().id() + ") replaced by " + s.url() + " (scan " + scan.id() + ")" + why);
            } else {
                added.add(s.label());
                audit.record(h, by, "scan.create", "experiment/" + id, s.label() + " " + s.url() + why);
            }
        }
        ScanChanges changes = new ScanChanges(added, superseded, unchanged);
        if (changes.any()) {
            engine.advance(h, fx, id);
        }
        return changes;
    }

    /** Reads a callback answer: the generic form or a task service task. */
    static Outcome.Finished parseAnswer(JsonNode body) {
        if (!body.isObject()) {
            throw ApiError.badRequest(null, "the answer must be a JSON object");
        }
        if ("task".equals(body.path("kind").asText())) {
            String status = body.path("status").asText("");
            Map<String, Object> output = new LinkedHashMap<>();
            if (body.path("result").isObject()) {
                output.putAll(JsonText.objectMap(body.get("result").toString()));
            }
            output.put("status", status);
            output.put("task", body.path("task").asLong());
            output.put("finishedBy", body.path("finishedBy").asText(""));
            boolean done = status.equals("done");
            // who answered goes into the message, which the audit log's callback.finish entry carries: the person
            // behind a verdict is then in the governor's own audit trail, not only in the task service's
            String message = "task " + body.path("task").asText() + " " + status
                    + (body.path("finishedBy").asText("").isBlank() ? "" : " by " + body.path("finishedBy").asText())
                    + (body.hasNonNull("skipReason") ? ": " + body.get("skipReason").asText() : "");
            return new Outcome.Finished(done, message, output, Map.of());
        }
        Map<String, Object> all = JsonText.objectMap(body.toString());
        for (String k : all.keySet()) {
            if (!java.util.Set.of("result", "message", "output", "variables").contains(k)) {
                throw ApiError.badRequest(k, "unknown field '" + k + "' (result, message, output, variables)");
            }
        }
        String result = body.path("result").asText("");
        if (!body.path("result").isTextual() || !(result.equals("success") || result.equals("failed"))) {
            throw ApiError.badRequest("result", "'result' must be \"success\" or \"failed\"");
        }
        if (body.has("output") && !body.get("output").isObject()) {
            throw ApiError.badRequest("output", "'output' must be an object");
        }
        if (body.has("variables") && !body.get("variables").isObject()) {
            throw ApiError.badRequest("variables", "'variables' must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> output = (Map<String, Object>) all.getOrDefault("output", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = (Map<String, Object>) all.getOrDefault("variables", Map.of());
        return new Outcome.Finished(result.equals("success"), body.path("message").asText(result), output, variables);
    }

    private long workflowFor(Handle h, Study study, String workflowName) {
        if (workflowName != null) {
            return workflows.latest(h, workflowName)
                    .orElseThrow(() -> ApiError.badRequest("workflow", "no workflow '" + workflowName + "'")).id();
        }
        if (study.workflowId() == null) {
            throw ApiError.badRequest("workflow", "study '" + study.name() + "' has no workflow; name one");
        }
        return study.workflowId();
    }

    private void setVariable(Handle h, Workflow w, long experimentId, String name, Object raw, String by, String field) {
        if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw ApiError.badRequest(field, "variable name '" + name + "' must be letters, digits or '_'");
        }
        Object value = JsonText.normalise(raw);
        VariableType declared = w.variables().get(name);
        VariableType type = declared == null ? VariableType.of(value) : declared;
        Object typed = declared == null ? value : declared.coerce(value)
                .orElseThrow(() -> ApiError.badRequest(field, "variable '" + name + "' is declared " + declared.id()
                        + " in workflow '" + w.name() + "', found " + describe(raw)));
        experiments.setVariable(h, experimentId, name, type.id(), typed, by, clock.instant());
        audit.record(h, by, "variable.set", "experiment/" + experimentId, name + " = " + JsonText.write(typed));
    }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    private void requireChange(Handle h, Caller caller, Experiment e) {
        Study study = studies.studyByName(h, e.study()).orElseThrow();
        access.requireChange(h, caller, study.id(), study.name());
    }

    private Experiment find(Handle h, long id) {
        return experiments.find(h, id).orElseThrow(() -> ApiError.notFound("no experiment " + id));
    }

    /** The experiment as the API shows it. */
    public Map<String, Object> view(long id) {
        return db.withHandle(h -> {
            Experiment e = find(h, id);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("experiment", e);
            WorkflowStore.Stored w = workflows.find(h, e.workflowId()).orElseThrow();
            v.put("workflow", w.name() + " v" + w.version());
            v.put("state", e.state());
            v.put("variables", experiments.variables(h, id));
            v.put("scans", experiments.scans(h, id));
            return v;
        });
    }
}
