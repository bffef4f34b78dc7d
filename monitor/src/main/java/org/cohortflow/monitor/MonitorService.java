package org.cohortflow.monitor;

import java.net.URI;
import org.cohortflow.monitor.ingest.IngestRoutes;
import org.cohortflow.monitor.pages.Pages;
import org.cohortflow.monitor.runs.RunDelta;
import org.cohortflow.monitor.runs.RunRoutes;
import org.cohortflow.monitor.runs.RunStore;
import org.cohortflow.monitor.runs.RunUpdates;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.Service;
import org.cohortflow.server.ServiceKit;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.http.ServiceServer;

/**
 * The monitor service ({@code cohortflow serve monitor}): receives run events over REST and shows every
 * run, node and sample live in the browser. Found by the command line through {@link java.util.ServiceLoader}.
 */
public final class MonitorService implements Service {
    /** The service's name and database schema. */
    public static final String NAME = "monitor";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "run monitoring: receives run events over REST and shows every run, node and sample live";
    }

    @Override
    public String page() {
        return "/runs";
    }

    @Override
    public Running start(ServiceConfig config) {
        ServiceKit kit = ServiceKit.open(config, "db/monitor", System.out);
        RunStore store = new RunStore();
        RunUpdates updates = new RunUpdates(kit.json(), (key, version, jobs) -> kit.database().withHandle(h ->
                store.id(h, key).flatMap(id -> {
                    var nodes = store.nodes(h, id);
                    return store.summary(h, id, nodes).map(run -> new RunDelta(version, run, nodes, jobs));
                })));
        try {
            ServiceServer server = kit.serve(api -> {
                new IngestRoutes(kit, store, updates).register(api);
                new RunRoutes(kit, store, updates).register(api);
                new Pages(kit, store).register(api);
            });
            return new Running(kit, server, updates);
        } catch (RuntimeException e) {
            updates.close();
            kit.close();
            throw e;
        }
    }

    /** A started monitor: its kit (database, users, audit) and HTTP server. */
    public static final class Running implements RunningService {
        private final ServiceKit kit;
        private final ServiceServer server;
        private final RunUpdates updates;

        Running(ServiceKit kit, ServiceServer server, RunUpdates updates) {
            this.kit = kit;
            this.server = server;
            this.updates = updates;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public URI baseUri() {
            return server.baseUri();
        }

        /** The service's kit, for tests and embedding (users, tokens, database). */
        public ServiceKit kit() {
            return kit;
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                updates.close();
                kit.close();
            }
        }
    }
}
