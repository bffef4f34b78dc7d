package org.cohortflow.monitor.ingest;

import java.util.Map;
import org.cohortflow.monitor.runs.RunKeys;
import org.cohortflow.monitor.runs.RunStore;
import org.cohortflow.monitor.runs.RunUpdates;
import org.cohortflow.server.ServiceKit;
import org.cohortflow.server.auth.Caller;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;

/**
 * The reporting side of the monitor's REST API: a run starts with its network ({@code PUT
 * /api/v1/runs/{key}}) and then sends numbered batches of events ({@code POST /api/v1/runs/{key}/batches}).
 * Both are idempotent, so a reporter re-sends whatever timed out. Reporting needs the {@code manager} role
 * (a token of a user with it); viewers only read.
 */
public final class IngestRoutes {
    private final ServiceKit kit;
    private final RunStore store;
    private final RunUpdates updates;

    public IngestRoutes(ServiceKit kit, RunStore store, RunUpdates updates) {
        this.kit = kit;
        this.store = store;
        this.updates = updates;
    }

    /** Registers the endpoints. */
    public void register(Api api) {
        api.put("/api/v1/runs/{key}", Role.MANAGER, "Starts a run with its network (idempotent: the same key again "
                + "answers 200 with the existing run)", RunStart.class, ctx -> {
                    String key = RunKeys.check(ctx.pathParam("key"));
                    RunStart start = api.body(ctx, RunStart.class);
                    Caller who = Api.caller(ctx);
                    String networkJson = kit.json().write(start.network());
                    RunStore.Started s = kit.database().inTransaction(h -> {
                        RunStore.Started st = store.start(h, key, start.name(), start.network().id(), networkJson,
                                start.executor(), start.runDir(), start.host(), who.name(), start.startedAt(),
                                kit.clock().instant());
                        if (st.created()) {
                            kit.audit().record(h, who.name(), "run.start", "run/" + key,
                                    "run '" + start.name() + "' of network '" + start.network().id() + "'");
                        }
                        return st;
                    });
                    ctx.status(s.created() ? 201 : 200).json(Map.of("key", key, "created", s.created(),
                            "page", "/runs/" + key));
                });
        api.post("/api/v1/runs/{key}/batches", Role.MANAGER, "Adds a numbered batch of run events (a batch number "
                + "already stored is acknowledged and not applied again)", EventBatch.class, ctx -> {
                    String key = RunKeys.check(ctx.pathParam("key"));
                    EventBatch batch = api.body(ctx, EventBatch.class);
                    Caller who = Api.caller(ctx);
                    RunStore.Applied applied = kit.database().inTransaction(h -> {
                        long id = store.lock(h, key).orElseThrow(() -> ApiError.notFound("no run '" + key
                                + "': start it with PUT /api/v1/runs/" + key + " first"));
                        RunStore.Applied a = store.apply(h, id, batch, kit.clock().instant());
                        if (!a.duplicate()) {
                            kit.audit().record(h, who.name(), "run.events", "run/" + key, "batch " + batch.seq() + ": "
                                    + batch.events().size() + " events" + (batch.report() != null ? " and the report" : ""));
                        }
                        return a;
                    });
                    if (!applied.duplicate()) {
                        updates.changed(key, applied.version(), applied.jobs());
                    }
                    ctx.json(Map.of("seq", batch.seq(), "duplicate", applied.duplicate()));
                });
    }
}
