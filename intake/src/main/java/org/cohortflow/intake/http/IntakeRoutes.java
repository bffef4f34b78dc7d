package org.cohortflow.intake.http;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.intake.idmap.DatabaseIdMap;
import org.cohortflow.intake.queue.IntakeObject;
import org.cohortflow.intake.queue.ObjectQueue;
import org.cohortflow.intake.queue.ObjectState;
import org.cohortflow.intake.spool.Spool;
import org.cohortflow.server.ServiceKit;
import org.cohortflow.server.auth.Caller;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;
import org.cohortflow.server.http.Html;

/**
 * The intake's REST API and status page: queue counts, per-study tracking, the quarantine (list, release,
 * delete: admins), the ID map (export: admins only). Every change is audited in its transaction.
 */
public final class IntakeRoutes {
    private final ServiceKit kit;
    private final ObjectQueue queue;
    private final Spool spool;
    private final String project;
    private final String destination;
    private final Runnable wake;

    public IntakeRoutes(ServiceKit kit, ObjectQueue queue, Spool spool, String project, String destination, Runnable wake) {
        this.kit = kit;
        this.queue = queue;
        this.spool = spool;
        this.project = project;
        this.destination = destination;
        this.wake = wake;
    }

    /** Adds the routes. */
    public void register(Api api) {
        api.get("/api/v1/status", Role.VIEWER, "The project, the destination and how many objects are in each state",
                ctx -> ctx.json(status()));
        api.get("/api/v1/studies", Role.VIEWER, "Per study and series: objects in each state", ctx -> ctx.json(
                kit.database().withHandle(h -> h.createQuery("SELECT pseudonym, study_uid, series_uid, modality, state,"
                                + " COUNT(*) AS n FROM intake_object WHERE study_uid IS NOT NULL"
                                + " GROUP BY pseudonym, study_uid, series_uid, modality, state ORDER BY study_uid, series_uid")
                        .mapToMap().list())));
        api.get("/api/v1/completed-studies", Role.VIEWER, "Studies found complete after their quiet period",
                ctx -> ctx.json(kit.database().withHandle(h -> h.createQuery(
                        "SELECT study_uid, pseudonym, objects, completed_at FROM intake_study ORDER BY completed_at")
                        .mapToMap().list())));
        api.get("/api/v1/quarantine", Role.VIEWER, "Quarantined objects with their reasons, newest first", ctx -> {
            int limit = Api.intQuery(ctx, "limit", 100, 1, 1000);
            int offset = Api.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            ctx.json(kit.database().withHandle(h -> queue.inState(h, ObjectState.QUARANTINED, limit, offset))
                    .stream().map(IntakeRoutes::view).toList());
        });
        api.post("/api/v1/quarantine/{id}/release", Role.ADMIN,
                "Sends a quarantined object back to de-identification, past the profile's filters and burned-in rule",
                null, ctx -> {
                    long id = Api.idParam(ctx, "id");
                    Caller who = Api.caller(ctx);
                    kit.database().useTransaction(h -> {
                        if (!queue.release(h, id)) {
                            throw notQuarantined(h, id);
                        }
                        kit.audit().record(h, who.name(), "quarantine.release", "object/" + id, null);
                    });
                    wake.run();
                    ctx.json(Map.of("id", id, "state", ObjectState.RECEIVED.name()));
                });
        api.delete("/api/v1/quarantine/{id}", Role.ADMIN, "Deletes a quarantined object's file (its row stays, as DELETED)",
                ctx -> {
                    long id = Api.idParam(ctx, "id");
                    Caller who = Api.caller(ctx);
                    IntakeObject o = kit.database().inTransaction(h -> {
                        IntakeObject found = queue.get(h, id).orElseThrow(() -> ApiError.notFound("no object " + id));
                        if (!queue.delete(h, id)) {
                            throw notQuarantined(h, id);
                        }
                        kit.audit().record(h, who.name(), "quarantine.delete", "object/" + id, found.reason());
                        return found;
                    });
                    try {
                        Files.deleteIfExists(spool.received(o.spoolName()));
                    } catch (IOException e) {
                        // The row says DELETED; a file left behind is removed at the next start.
                    }
                    ctx.status(204);
                });
        api.get("/api/v1/idmap", Role.ADMIN, "The project's ID map (original patient id -> pseudonym): admins only",
                ctx -> {
                    Caller who = Api.caller(ctx);
                    ctx.json(kit.database().inTransaction(h -> {
                        kit.audit().record(h, who.name(), "idmap.export", "idmap/" + project, null);
                        return DatabaseIdMap.export(h);
                    }));
                });
        api.page("/", Role.VIEWER, "The intake's status page: counts per state and the quarantine", ctx -> ctx.html(page()));
    }

    private Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project", project);
        out.put("destination", destination);
        out.put("counts", kit.database().withHandle(queue::counts));
        return out;
    }

    private ApiError notQuarantined(org.jdbi.v3.core.Handle h, long id) {
        return queue.get(h, id).map(o -> ApiError.conflict("object " + id + " is " + o.state() + ", not QUARANTINED"))
                .orElseGet(() -> ApiError.notFound("no object " + id));
    }

    private static Map<String, Object> view(IntakeObject o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id());
        m.put("source", o.source());
        m.put("sender", o.sender());
        m.put("reason", o.reason());
        m.put("detail", o.detail());
        m.put("bytes", o.bytes());
        m.put("receivedAt", o.receivedAt().toString());
        return m;
    }

    private String page() {
        Map<ObjectState, Long> counts = kit.database().withHandle(queue::counts);
        List<IntakeObject> quarantined = kit.database().withHandle(h -> queue.inState(h, ObjectState.QUARANTINED, 100, 0));
        StringBuilder b = new StringBuilder();
        b.append("<h1>Intake: ").append(Html.escape(project)).append("</h1>");
        b.append("<p>Forwarding to ").append(Html.escape(destination)).append("</p>");
        b.append("<table id=\"counts\"><tr><th>state</th><th>objects</th></tr>");
        counts.forEach((s, n) -> b.append("<tr><td>").append(s).append("</td><td class=\"n\" data-state=\"").append(s)
                .append("\">").append(n).append("</td></tr>"));
        b.append("</table><h2>Quarantine</h2><table id=\"quarantine\"><tr><th>id</th><th>reason</th><th>detail</th>"
                + "<th>from</th><th>received</th></tr>");
        for (IntakeObject o : quarantined) {
            b.append("<tr><td>").append(o.id()).append("</td><td>").append(Html.escape(o.reason())).append("</td><td>")
                    .append(Html.escape(o.detail())).append("</td><td>").append(Html.escape(o.source() + " " + o.sender()))
                    .append("</td><td>").append(o.receivedAt()).append("</td></tr>");
        }
        b.append("</table>");
        return Html.page("Intake " + project, b.toString());
    }
}
