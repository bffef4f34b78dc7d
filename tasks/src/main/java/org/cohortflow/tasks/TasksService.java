package org.cohortflow.tasks;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.Service;
import org.cohortflow.server.ServiceKit;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.http.ServiceServer;
import org.cohortflow.tasks.api.TaskRoutes;
import org.cohortflow.tasks.callback.Backoff;
import org.cohortflow.tasks.callback.CallbackDispatcher;
import org.cohortflow.tasks.callback.CallbackSender;
import org.cohortflow.tasks.callback.Outbox;
import org.cohortflow.tasks.files.TaskFileStore;
import org.cohortflow.tasks.images.DataRoots;
import org.cohortflow.tasks.project.ProjectStore;
import org.cohortflow.tasks.queue.LockRules;
import org.cohortflow.tasks.queue.ReviewerStore;
import org.cohortflow.tasks.queue.TaskGroupStore;
import org.cohortflow.tasks.queue.TaskQueue;
import org.cohortflow.tasks.queue.TaskStore;
import org.cohortflow.tasks.template.TemplateStore;
import org.cohortflow.tasks.viewer.ViewerRoutes;

/**
 * The task service, as {@code cohortflow serve tasks} starts it (found through
 * {@code META-INF/services/org.cohortflow.server.Service}): the kit's database, users and audit, the task
 * API, the reviewer's page and the callback outbox delivered in the background.
 */
public final class TasksService implements Service {
    /** The service's name and database schema. */
    public static final String NAME = "tasks";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "task service: inspection and annotation tasks for people in a browser viewer, with callbacks";
    }

    @Override
    public RunningService start(ServiceConfig config) {
        TasksSettings settings = TasksSettings.from(config.settings());
        ViewerRoutes viewer = new ViewerRoutes();
        DataRoots roots = new DataRoots(settings.dataRoots());
        ServiceKit kit = ServiceKit.open(config, "db/" + NAME, System.out);
        try {
            Clock clock = kit.clock();
            TaskStore tasks = new TaskStore(kit.json().mapper());
            ReviewerStore reviewers = new ReviewerStore();
            TaskGroupStore groups = new TaskGroupStore();
            TemplateStore templates = new TemplateStore();
            ProjectStore projects = new ProjectStore();
            Outbox outbox = new Outbox();
            // the server's own address is known once it listens; callbacks built before that cannot happen
            AtomicReference<URI> base = new AtomicReference<>(config.publicUrl() == null ? null : URI.create(config.publicUrl()));
            TaskQueue queue = new TaskQueue(kit.database(), kit.audit(), clock, new LockRules(settings.lock()), tasks,
                    reviewers, groups, templates, projects, outbox, roots, kit.json().mapper(), new TaskFileStore(), base::get);
            TaskRoutes routes = new TaskRoutes(kit.database(), kit.audit(), queue, templates, projects, reviewers, groups,
                    outbox, roots, new org.cohortflow.tasks.images.ImageFetcher(settings.dicomWeb()));
            ServiceServer server = kit.serve(api -> {
                routes.register(api);
                viewer.register(api);
            });
            base.compareAndSet(null, server.baseUri());
            CallbackDispatcher dispatcher = new CallbackDispatcher(kit.database(), outbox,
                    new CallbackSender(settings.callbackTimeout()), new Backoff(settings.firstRetry(), settings.maxRetry()),
                    kit.audit(), clock, settings.poll());
            return new Running(kit, server, dispatcher);
        } catch (RuntimeException e) {
            kit.close();
            throw e;
        }
    }

    /** The started service: closing stops the outbox loop, the server and the database, in that order. */
    private record Running(ServiceKit kit, ServiceServer server, CallbackDispatcher dispatcher) implements RunningService {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public URI baseUri() {
            return server.baseUri();
        }

        @Override
        public void close() {
            try {
                dispatcher.close();
            } finally {
                try {
                    server.close();
                } finally {
                    kit.close();
                }
            }
        }
    }
}
