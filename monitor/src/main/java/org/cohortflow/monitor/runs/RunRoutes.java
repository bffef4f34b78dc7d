package org.cohortflow.monitor.runs;

import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.server.ServiceKit;
import org.cohortflow.server.auth.Caller;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;
import org.cohortflow.server.http.InvalidFieldException;

/**
 * Reading runs (viewers), deleting and purging them (managers), and the event streams pages watch.
 */
public final class RunRoutes {
    private final ServiceKit kit;
    private final RunStore store;
    private final RunUpdates updates;

    public RunRoutes(ServiceKit kit, RunStore store, RunUpdates updates) {
        this.kit = kit;
        this.store = store;
        this.updates = updates;
    }

    /** A request to purge old runs. */
    public record Purge(int olderThanDays) {
        public Purge {
            if (olderThanDays < 0) {
                throw new InvalidFieldException("olderThanDays", "'olderThanDays' must not be negative");
            }
        }
    }

    /** Registers the endpoints. */
    public void register(Api api) {
        api.get("/api/v1/runs", Role.VIEWER, "Runs, newest first", ctx -> {
            int limit = Api.intQuery(ctx, "limit", 100, 1, 1000);
            int offset = Api.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            ctx.json(kit.database().withHandle(h -> store.list(h, limit, offset)));
        });
        api.get("/api/v1/runs/{key}", Role.VIEWER, "A run: summary, network and per-node counts", ctx -> {
            String key = RunKeys.check(ctx.pathParam("key"));
            ctx.json(kit.database().withHandle(h -> {
                long id = find(h, key);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("run", store.summary(h, id).orElseThrow());
                out.put("network", kit.json().mapper().readTree(store.networkJson(h, id)));
                out.put("nodes", store.nodes(h, id));
                return out;
            }));
        });
        api.get("/api/v1/runs/{key}/snapshot", Role.VIEWER, "Everything a run page shows, with the version later "
                + "deltas are compared with; jobs as [node, sample, state, startMillis, endMillis]", ctx -> {
            String key = RunKeys.check(ctx.pathParam("key"));
            ctx.json(kit.database().inTransaction(h -> {
                long id = find(h, key);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("version", store.version(h, id));
                out.put("run", store.summary(h, id).orElseThrow());
                out.put("network", kit.json().mapper().readTree(store.networkJson(h, id)));
                out.put("nodes", store.nodes(h, id));
                List<Object[]> jobs = new ArrayList<>();
                for (JobState j : store.jobs(h, id)) {
                    jobs.add(new Object[] {j.node(), j.sample(), j.state(), millis(j.startedAt()), millis(j.finishedAt())});
                }
                out.put("jobs", jobs);
                return out;
            }));
        });
        api.get("/api/v1/runs/{key}/report", Role.VIEWER, "The run's report.json, once it finished", ctx -> {
            String key = RunKeys.check(ctx.pathParam("key"));
            String json = kit.database().withHandle(h -> store.reportJson(h, find(h, key)))
                    .orElseThrow(() -> ApiError.notFound("run '" + key + "' has no report yet"));
            ctx.contentType("application/json").result(json);
        });
        api.get("/api/v1/runs/{key}/job", Role.VIEWER, "One job (query node and sample) with its failure details", ctx -> {
            String key = RunKeys.check(ctx.pathParam("key"));
            String node = required(ctx, "node");
            String sample = required(ctx, "sample");
            ctx.json(kit.database().withHandle(h -> store.job(h, find(h, key), node, sample))
                    .orElseThrow(() -> ApiError.notFound("run '" + key + "' has no job " + node + "/" + sample)));
        });
        api.delete("/api/v1/runs/{key}", Role.MANAGER, "Deletes a run and its jobs", ctx -> {
            String key = RunKeys.check(ctx.pathParam("key"));
            Caller who = Api.caller(ctx);
            kit.database().useTransaction(h -> {
                long id = store.lock(h, key).orElseThrow(() -> ApiError.notFound("no run '" + key + "'"));
                store.delete(h, id);
                kit.audit().record(h, who.name(), "run.delete", "run/" + key, null);
            });
            updates.deleted(key);
            ctx.status(204);
        });
        api.post("/api/v1/purge", Role.MANAGER, "Deletes finished runs older than a number of days", Purge.class, ctx -> {
            Purge p = api.body(ctx, Purge.class);
            Caller who = Api.caller(ctx);
            Instant before = kit.clock().instant().minus(Duration.ofDays(p.olderThanDays()));
            List<String> gone = kit.database().inTransaction(h -> {
                List<String> keys = store.finishedBefore(h, before);
                for (String k : keys) {
                    store.lock(h, k).ifPresent(id -> store.delete(h, id));
                    kit.audit().record(h, who.name(), "run.purge", "run/" + k, "finished run older than "
                            + p.olderThanDays() + " days");
                }
                return keys;
            });
            gone.forEach(updates::deleted);
            ctx.json(Map.of("deleted", gone));
        });
        api.get("/api/v1/runs/{key}/stream", Role.VIEWER, "Server-sent events: 'delta' for each batch of the run",
                new SseHandler(client -> updates.watchRun(RunKeys.check(client.ctx().pathParam("key")), client)));
        api.get("/api/v1/stream", Role.VIEWER, "Server-sent events: 'run' with a run's summary when it changes",
                new SseHandler(updates::watchList));
    }

    private long find(org.jdbi.v3.core.Handle h, String key) {
        return store.id(h, key).orElseThrow(() -> ApiError.notFound("no run '" + key + "'"));
    }

    private static Long millis(Instant i) {
        return i == null ? null : i.toEpochMilli();
    }

    private static String required(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            // An empty value is a name: the one job of a node whose dimensions were all collapsed has sample "".
            throw ApiError.badRequest(name, "query parameter '" + name + "' is required");
        }
        return v;
    }
}
