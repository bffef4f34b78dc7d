package org.cohortflow.governance.api;

import java.time.Clock;
import java.util.Map;
import org.cohortflow.governance.model.ExperimentStore;
import org.cohortflow.governance.model.Study;
import org.cohortflow.governance.model.StudyAccess;
import org.cohortflow.governance.model.StudyStore;
import org.cohortflow.governance.model.Subject;
import org.cohortflow.governance.workflow.WorkflowStore;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.auth.Caller;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.db.Database;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;

/** {@code /api/v1/studies} and their subjects. */
public final class StudyRoutes {
    private final Database db;
    private final StudyStore studies = new StudyStore();
    private final ExperimentStore experiments = new ExperimentStore();
    private final StudyAccess access = new StudyAccess();
    private final WorkflowStore workflows;
    private final AuditLog audit;
    private final Clock clock;

    private final org.cohortflow.server.auth.Users users;

    public StudyRoutes(Database db, WorkflowStore workflows, AuditLog audit, Clock clock, org.cohortflow.server.auth.Users users) {
        this.db = db;
        this.users = users;
        this.workflows = workflows;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(Api api) {
        api.post("/api/v1/studies", Role.MANAGER, "Create a study", Requests.NewStudy.class, ctx -> {
            Requests.NewStudy req = api.body(ctx, Requests.NewStudy.class);
            String by = Api.caller(ctx).name();
            Study s = db.inTransaction(h -> {
                if (studies.studyByName(h, req.name()).isPresent()) {
                    throw ApiError.conflict("study '" + req.name() + "' exists");
                }
                Long wf = req.workflow() == null ? null : workflows.latest(h, req.workflow())
                        .orElseThrow(() -> ApiError.badRequest("workflow", "no workflow '" + req.workflow() + "'")).id();
                Study made = studies.createStudy(h, req.name(), req.description(), wf, clock.instant());
                audit.record(h, by, "study.create", "study/" + made.id(), req.name());
                return made;
            });
            ctx.status(201).json(s);
        });
        api.get("/api/v1/studies", Role.VIEWER, "List studies (?limit=&offset=)", ctx -> {
            int limit = Api.intQuery(ctx, "limit", 100, 1, 1000);
            int offset = Api.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            ctx.json(db.withHandle(h -> studies.studies(h, limit, offset)));
        });
        api.get("/api/v1/studies/{id}", Role.VIEWER, "One study with its experiments counted per state", ctx -> {
            long id = Api.idParam(ctx, "id");
            ctx.json(db.withHandle(h -> {
                Study s = studies.study(h, id).orElseThrow(() -> ApiError.notFound("no study " + id));
                return Map.of("study", s, "states", experiments.countByState(h, id));
            }));
        });
        api.put("/api/v1/studies/{id}/workflow", Role.MANAGER, "Set the workflow new experiments of the study start in",
                Requests.StudyWorkflow.class, ctx -> {
                    long id = Api.idParam(ctx, "id");
                    Requests.StudyWorkflow req = api.body(ctx, Requests.StudyWorkflow.class);
                    Caller caller = Api.caller(ctx);
                    String by = caller.name();
                    db.useTransaction(h -> {
                        Study s = studies.study(h, id).orElseThrow(() -> ApiError.notFound("no study " + id));
                        access.requireChange(h, caller, id, s.name());
                        WorkflowStore.Stored w = workflows.latest(h, req.workflow())
                                .orElseThrow(() -> ApiError.badRequest("workflow", "no workflow '" + req.workflow() + "'"));
                        studies.setWorkflow(h, id, w.id());
                        audit.record(h, by, "study.workflow", "study/" + id, w.name() + " version " + w.version());
                    });
                    ctx.status(204);
                });
        api.post("/api/v1/studies/{id}/subjects", Role.MANAGER, "Add a subject to a study", Requests.NewSubject.class, ctx -> {
            long id = Api.idParam(ctx, "id");
            Requests.NewSubject req = api.body(ctx, Requests.NewSubject.class);
            Caller caller = Api.caller(ctx);
            String by = caller.name();
            Subject s = db.inTransaction(h -> {
                Study study = studies.study(h, id).orElseThrow(() -> ApiError.notFound("no study " + id));
                access.requireChange(h, caller, id, study.name());
                if (studies.subject(h, id, req.label()).isPresent()) {
                    throw ApiError.conflict("subject '" + req.label() + "' exists in study " + id);
                }
                Subject made = studies.createSubject(h, id, req.label(), req.externalIds(), clock.instant());
                audit.record(h, by, "subject.create", "study/" + id + "/subject/" + made.id(), req.label());
                return made;
            });
            ctx.status(201).json(s);
        });
        api.get("/api/v1/studies/{id}/members", Role.VIEWER, "The study's members (when it has any, only they and admins change it)", ctx -> {
            long id = Api.idParam(ctx, "id");
            ctx.json(db.withHandle(h -> {
                studies.study(h, id).orElseThrow(() -> ApiError.notFound("no study " + id));
                return access.members(h, id);
            }));
        });
        api.put("/api/v1/studies/{id}/members/{name}", Role.ADMIN, "Make a user a member of the study", null, ctx -> {
            long id = Api.idParam(ctx, "id");
            String user = ctx.pathParam("name");
            Caller caller = Api.caller(ctx);
            ctx.json(db.inTransaction(h -> {
                studies.study(h, id).orElseThrow(() -> ApiError.notFound("no study " + id));
                if (users.find(h, user).isEmpty()) {
                    throw ApiError.badRequest("name", "no user '" + user + "'");
                }
                if (access.add(h, id, user, clock.instant())) {
                    audit.record(h, caller.name(), "study.member.add", "study/" + id, user);
                }
                return access.members(h, id);
            }));
        });
        api.delete("/api/v1/studies/{id}/members/{name}", Role.ADMIN, "Remove a user from the study's members", ctx -> {
            long id = Api.idParam(ctx, "id");
            String user = ctx.pathParam("name");
            Caller caller = Api.caller(ctx);
            db.useTransaction(h -> {
                studies.study(h, id).orElseThrow(() -> ApiError.notFound("no study " + id));
                if (!access.remove(h, id, user)) {
                    throw ApiError.notFound("'" + user + "' is not a member of study " + id);
                }
                audit.record(h, caller.name(), "study.member.remove", "study/" + id, user);
            });
            ctx.status(204);
        });
        api.get("/api/v1/studies/{id}/subjects", Role.VIEWER, "List a study's subjects (?limit=&offset=)", ctx -> {
            long id = Api.idParam(ctx, "id");
            int limit = Api.intQuery(ctx, "limit", 100, 1, 1000);
            int offset = Api.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            ctx.json(db.withHandle(h -> {
                studies.study(h, id).orElseThrow(() -> ApiError.notFound("no study " + id));
                return studies.subjects(h, id, limit, offset);
            }));
        });
    }
}
