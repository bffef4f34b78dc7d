package org.cohortflow.governance.api;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.dsl.yaml.Problem;
import org.cohortflow.governance.workflow.Workflow;
import org.cohortflow.governance.workflow.WorkflowStore;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.db.Database;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;

/** {@code /api/v1/workflows}: check, store and read workflows. */
public final class WorkflowRoutes {
    private final Database db;
    private final WorkflowStore workflows;
    private final AuditLog audit;
    private final Clock clock;

    public WorkflowRoutes(Database db, WorkflowStore workflows, AuditLog audit, Clock clock) {
        this.db = db;
        this.workflows = workflows;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(Api api) {
        api.post("/api/v1/workflows/validate", Role.MANAGER, "Check a workflow without storing it (problems with FILE:LINE:COL)",
                Requests.WorkflowUpload.class, ctx -> {
                    Requests.WorkflowUpload up = api.body(ctx, Requests.WorkflowUpload.class);
                    try {
                        Workflow w = workflows.parser().parse(up.yaml(), up.source());
                        ctx.json(Map.of("valid", true, "name", w.name(), "states", w.states().keySet(), "problems", List.of()));
                    } catch (InvalidDefinitionException e) {
                        ctx.status(422).json(Map.of("valid", false, "error", "the workflow is invalid", "field", "yaml",
                                "problems", problems(e)));
                    }
                });
        api.post("/api/v1/workflows", Role.MANAGER, "Store a workflow as the next version of its name", Requests.WorkflowUpload.class, ctx -> {
            Requests.WorkflowUpload up = api.body(ctx, Requests.WorkflowUpload.class);
            Workflow w;
            try {
                w = workflows.parser().parse(up.yaml(), up.source());
            } catch (InvalidDefinitionException e) {
                ctx.status(422).json(Map.of("error", "the workflow is invalid", "field", "yaml", "problems", problems(e)));
                return;
            }
            String by = Api.caller(ctx).name();
            WorkflowStore.Stored s = db.inTransaction(h -> {
                WorkflowStore.Stored stored = workflows.save(h, w, by, clock.instant());
                audit.record(h, by, "workflow.create", "workflow/" + stored.id(), w.name() + " version " + stored.version());
                return stored;
            });
            ctx.status(201).json(s);
        });
        api.get("/api/v1/workflows", Role.VIEWER, "List workflows (every version)", ctx -> ctx.json(db.withHandle(workflows::list)));
        api.get("/api/v1/workflows/{id}", Role.VIEWER, "One workflow version with its YAML", ctx -> {
            long id = Api.idParam(ctx, "id");
            ctx.json(db.withHandle(h -> {
                WorkflowStore.Stored s = workflows.find(h, id).orElseThrow(() -> ApiError.notFound("no workflow " + id));
                return Map.of("workflow", s, "yaml", workflows.source(h, id).orElseThrow());
            }));
        });
    }

    static List<Map<String, String>> problems(InvalidDefinitionException e) {
        return e.problems().stream().map(WorkflowRoutes::problem).toList();
    }

    private static Map<String, String> problem(Problem p) {
        return Map.of("location", p.location().toString(), "message", p.message(), "text", p.toString());
    }
}
