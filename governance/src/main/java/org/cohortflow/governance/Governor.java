package org.cohortflow.governance;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.cohortflow.governance.api.ExperimentRoutes;
import org.cohortflow.governance.api.StudyRoutes;
import org.cohortflow.governance.api.WorkflowRoutes;
import org.cohortflow.governance.callback.CallbackType;
import org.cohortflow.governance.callback.CallbackTypes;
import org.cohortflow.governance.callback.HttpCallback;
import org.cohortflow.governance.callback.TaskCallback;
import org.cohortflow.governance.engine.Engine;
import org.cohortflow.governance.web.Pages;
import org.cohortflow.governance.workflow.WorkflowParser;
import org.cohortflow.governance.workflow.WorkflowStore;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.ServiceKit;
import org.cohortflow.server.auth.PasswordHasher;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.http.ServiceServer;

/**
 * A running study governor: its database, engine, REST API and pages. Start one with {@link #start}.
 */
public final class Governor implements RunningService {
    private final ServiceKit kit;
    private final Engine engine;
    private final ServiceServer server;

    private final CallbackTypes types;

    private Governor(ServiceKit kit, Engine engine, ServiceServer server, CallbackTypes types) {
        this.kit = kit;
        this.engine = engine;
        this.server = server;
        this.types = types;
    }

    /** The callback types of a governor with this configuration, for checking workflows (no database). */
    public static CallbackTypes callbackTypes(ServiceConfig config) {
        return callbackTypes(config, null);
    }

    /** The callback types a governor with this configuration runs on its database. */
    static CallbackTypes callbackTypes(ServiceConfig config, org.cohortflow.server.db.Database db) {
        List<CallbackType> list = new ArrayList<>();
        list.add(new HttpCallback());
        list.add(new TaskCallback(config.setting("tasks.token").orElse(null)));
        list.add(new org.cohortflow.governance.callback.ExportCallback(db));
        list.addAll(Extensions.callbackTypes(config));
        return new CallbackTypes(list);
    }

    /** Starts a governor with the system clock and the standard password hashing. */
    public static Governor start(ServiceConfig config, PrintStream out) {
        return start(config, out, Clock.systemUTC(), new PasswordHasher());
    }

    /** Starts a governor; the engine resumes whatever the database says is pending. */
    public static Governor start(ServiceConfig config, PrintStream out, Clock clock, PasswordHasher hasher) {
        ServiceKit kit = ServiceKit.open(config, "db/governor", out, clock, hasher);
        try {
            CallbackTypes types = callbackTypes(config, kit.database());
            WorkflowStore workflows = new WorkflowStore(new WorkflowParser(types));
            URI[] base = new URI[1];
            Engine engine = new Engine(kit.database(), workflows, types, kit.audit(), clock,
                    () -> config.publicUrl() != null ? URI.create(config.publicUrl()) : base[0],
                    config.dataDir().resolve("runs"));
            ExperimentRoutes experiments = new ExperimentRoutes(kit.database(), engine, workflows, kit.audit(), clock);
            ServiceServer server = kit.serve(api -> {
                new WorkflowRoutes(kit.database(), workflows, kit.audit(), clock).register(api);
                new StudyRoutes(kit.database(), workflows, kit.audit(), clock, kit.users()).register(api);
                experiments.register(api);
                new Pages(kit.database(), workflows, experiments, kit.audit(), config.dataDir().resolve("runs")).register(api);
            });
            base[0] = server.baseUri();
            engine.start();
            return new Governor(kit, engine, server, types);
        } catch (RuntimeException e) {
            kit.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "governor";
    }

    @Override
    public URI baseUri() {
        return server.baseUri();
    }

    public ServiceKit kit() {
        return kit;
    }

    public Engine engine() {
        return engine;
    }

    public ServiceServer server() {
        return server;
    }

    @Override
    public void close() {
        engine.close();
        server.close();
        types.close();
        kit.close();
    }
}
