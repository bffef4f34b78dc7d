package org.cohortflow.tasks.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.auth.Caller;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.db.Database;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;
import org.cohortflow.tasks.callback.Outbox;
import org.cohortflow.tasks.images.DataRoots;
import org.cohortflow.tasks.images.ImageFetcher;
import org.cohortflow.tasks.images.ImageLocation;
import org.cohortflow.tasks.project.ProjectStore;
import org.cohortflow.tasks.queue.NewTask;
import org.cohortflow.tasks.queue.Reviewer;
import org.cohortflow.tasks.queue.ReviewerStore;
import org.cohortflow.tasks.queue.Task;
import org.cohortflow.tasks.queue.TaskFilter;
import org.cohortflow.tasks.queue.TaskGroupStore;
import org.cohortflow.tasks.queue.TaskQueue;
import org.cohortflow.tasks.queue.TaskStatus;
import org.cohortflow.tasks.template.InvalidTemplateException;
import org.cohortflow.tasks.template.TaskTemplate;
import org.cohortflow.tasks.template.TemplateParser;
import org.cohortflow.tasks.template.TemplateStore;

/**
 * The task service's REST API under {@code /api/v1}: projects, templates, reviewers and groups, task groups,
 * tasks (list, create, next, lock, unlock, draft, result, skip) and the images of a task. Reading needs the
 * viewer role; working on tasks needs to be a reviewer (checked by {@link TaskQueue}); creating projects,
 * templates, reviewers and tasks needs the manager role. Every change is audited by the code that makes it.
 */
public final class TaskRoutes {
    private final Database db;
    private final AuditLog audit;
    private final TaskQueue queue;
    private final TemplateStore templates;
    private final ProjectStore projects;
    private final ReviewerStore reviewers;
    private final TaskGroupStore groups;
    private final Outbox outbox;
    private final DataRoots roots;
    private final ImageFetcher images;
    private final TemplateParser parser = new TemplateParser();

    /** The routes over the service's stores. */
    public TaskRoutes(Database db, AuditLog audit, TaskQueue queue, TemplateStore templates, ProjectStore projects,
                      ReviewerStore reviewers, TaskGroupStore groups, Outbox outbox, DataRoots roots, ImageFetcher images) {
        this.images = images;
        this.db = db;
        this.audit = audit;
        this.queue = queue;
        this.templates = templates;
        this.projects = projects;
        this.reviewers = reviewers;
        this.groups = groups;
        this.outbox = outbox;
        this.roots = roots;
    }

    /** Registers every endpoint. */
    public void register(Api api) {
        // Public so that it can answer 401 without a Basic challenge: the page asks it first, and a challenge
        // would make the browser pop up its own password dialog instead of the page showing the login form.
        api.publicGet("/api/v1/me", "Who I am: name, roles and my reviewer profile (401 when not logged in)",
                ctx -> me(ctx, api.authenticator().authenticate(ctx)
                        .orElseThrow(() -> ApiError.unauthorized("not logged in"))));

        api.get("/api/v1/projects", Role.VIEWER, "List projects", ctx -> ctx.json(db.withHandle(projects::list)));
        api.post("/api/v1/projects", Role.MANAGER, "Create a project", Requests.NewProject.class,
                ctx -> createProject(ctx, api.body(ctx, Requests.NewProject.class)));

        api.get("/api/v1/templates", Role.VIEWER, "List task templates",
                ctx -> ctx.json(db.withHandle(templates::list).stream().map(Views::template).toList()));
        api.get("/api/v1/templates/{name}", Role.VIEWER, "A task template: layers, layout, presets and form (JSON Schema)",
                ctx -> ctx.json(Views.template(db.withHandle(h -> templates.find(h, ctx.pathParam("name")))
                        .orElseThrow(() -> ApiError.notFound("no template '" + ctx.pathParam("name") + "'")))));
        api.put("/api/v1/templates/{name}", Role.MANAGER,
                "Create or replace a template from its YAML or JSON text (problems answered as FILE:LINE:COL)",
                String.class, this::putTemplate);

        api.get("/api/v1/reviewers", Role.VIEWER, "List reviewers with weight, activity and groups",
                ctx -> ctx.json(db.withHandle(reviewers::list)));
        api.put("/api/v1/reviewers/{name}", Role.MANAGER, "Create or change a reviewer (weight, active, groups)",
                Requests.ReviewerBody.class,
                ctx -> putReviewer(ctx, api.body(ctx, Requests.ReviewerBody.class)));
        api.get("/api/v1/groups", Role.VIEWER, "Groups and their members", ctx -> ctx.json(db.withHandle(reviewers::groups)));

        api.get("/api/v1/task-groups", Role.VIEWER, "List task groups (?project=)",
                ctx -> ctx.json(db.withHandle(h -> groups.list(h, ctx.queryParam("project")))));
        api.post("/api/v1/task-groups", Role.MANAGER, "Create a task group with a callback for when all its tasks are finished",
                Requests.NewTaskGroup.class, ctx -> {
                    Requests.NewTaskGroup b = api.body(ctx, Requests.NewTaskGroup.class);
                    ctx.status(201).json(queue.createGroup(Api.caller(ctx), b.name(), b.project(), b.callbackUrl(), b.callbackSecret()));
                });
        api.get("/api/v1/task-groups/{id}", Role.VIEWER, "A task group with its tasks and callback state", this::taskGroup);

        api.get("/api/v1/tasks", Role.VIEWER,
                "List tasks (?project=&template=&status=queued,in_progress&user=me|NAME&tag=&page=&size=)", this::listTasks);
        api.post("/api/v1/tasks", Role.MANAGER, "Create a task (or 'readers' tasks for double reading); answers {id, created: [...]}; "
                        + "with an Idempotency-Key header a repeated request answers 200 with the tasks made the first time",
                Requests.CreateTask.class, ctx -> {
                    Requests.CreateTask b = api.body(ctx, Requests.CreateTask.class);
                    String key = ctx.header("Idempotency-Key");
                    if (key != null && (key.isBlank() || key.length() > 200)) {
                        throw ApiError.badRequest("Idempotency-Key", "the Idempotency-Key header must have 1 to 200 characters");
                    }
                    TaskQueue.Created created = queue.create(Api.caller(ctx), new NewTask(b.project(), b.template(),
                            b.content(), b.tags(), b.user(), b.group(), b.taskGroup(), b.callbackUrl(), b.callbackSecret()),
                            b.readers() == null ? 1 : b.readers(), key);
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("id", created.tasks().get(0).id());
                    answer.put("created", created.tasks().stream().map(this::view).toList());
                    ctx.status(created.replayed() ? 200 : 201).json(answer);
                });
        api.get("/api/v1/tasks/{id}", Role.VIEWER, "A task", ctx -> ctx.json(view(queue.get(Api.idParam(ctx, "id")))));
        api.get("/api/v1/tasks/{id}/callback", Role.VIEWER, "The task's callback delivery state", ctx -> {
            long id = Api.idParam(ctx, "id");
            queue.get(id);
            ctx.json(db.withHandle(h -> outbox.find(h, "task", id)).map(TaskRoutes::callbackView)
                    .orElseThrow(() -> ApiError.notFound("task " + id + " has no callback (yet)")));
        });
        api.post("/api/v1/next", Role.VIEWER, "Lock and return the next task for me (204 when there is none)", null, ctx -> {
            Optional<Task> next = queue.next(Api.caller(ctx));
            if (next.isPresent()) ctx.json(view(next.get()));
            else ctx.status(204);
        });
        api.post("/api/v1/tasks/{id}/lock", Role.VIEWER, "Lock a task for me, or renew my lock (409 when someone else holds it)",
                null, ctx -> ctx.json(view(queue.lock(Api.caller(ctx), Api.idParam(ctx, "id")))));
        api.delete("/api/v1/tasks/{id}/lock", Role.VIEWER, "Release my lock (a manager may release anyone's)",
                ctx -> ctx.json(view(queue.release(Api.caller(ctx), Api.idParam(ctx, "id")))));
        api.put("/api/v1/tasks/{id}/draft", Role.VIEWER, "Save unsubmitted form values (lock holder only)", Requests.Draft.class,
                ctx -> ctx.json(view(queue.saveDraft(Api.caller(ctx), Api.idParam(ctx, "id"),
                        api.body(ctx, Requests.Draft.class).draft()))));
        api.post("/api/v1/tasks/{id}/result", Role.VIEWER,
                "Submit the result (lock holder only; checked against the template's form, 422 naming the field)",
                Requests.Result.class, ctx -> ctx.json(view(queue.submit(Api.caller(ctx), Api.idParam(ctx, "id"),
                        api.body(ctx, Requests.Result.class).result()))));
        api.post("/api/v1/tasks/{id}/skip", Role.VIEWER, "Skip the task with a reason (lock holder only)", Requests.Skip.class,
                ctx -> ctx.json(view(queue.skip(Api.caller(ctx), Api.idParam(ctx, "id"),
                        api.body(ctx, Requests.Skip.class).reason()))));
        api.post("/api/v1/tasks/{id}/fail", Role.MANAGER, "Mark an open task failed with a reason (its callback says failed)",
                Requests.Fail.class, ctx -> ctx.json(view(queue.fail(Api.caller(ctx), Api.idParam(ctx, "id"),
                        api.body(ctx, Requests.Fail.class).reason()))));
        api.put("/api/v1/tasks/{id}/assignee", Role.MANAGER, "Give an open, unlocked task to a reviewer ({user: null}: the open pool)",
                Requests.Assign.class, ctx -> ctx.json(view(queue.assign(Api.caller(ctx), Api.idParam(ctx, "id"),
                        api.body(ctx, Requests.Assign.class).user()))));
        api.put("/api/v1/tasks/{id}/files/{name}", Role.VIEWER,
                "Attach a file to the result, e.g. a corrected mask (lock holder only; raw bytes, at most 16 MB, the server kit's request limit)", byte[].class,
                ctx -> {
                    String name = ctx.pathParam("name");
                    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
                        throw ApiError.badRequest("name", "a file name is letters, digits, '.', '_' or '-' (at most 100)");
                    }
                    byte[] content = ctx.bodyAsBytes();
                    if (content.length == 0) throw ApiError.badRequest(null, "the file is empty");
                    if (content.length > 16L * 1024 * 1024) throw ApiError.badRequest(null, "the file is larger than 16 MB");
                    ctx.json(queue.putFile(Api.caller(ctx), Api.idParam(ctx, "id"), name, content));
                });
        api.get("/api/v1/tasks/{id}/files", Role.VIEWER, "The files attached to a task's result",
                ctx -> ctx.json(queue.files(Api.idParam(ctx, "id"))));
        api.get("/api/v1/tasks/{id}/files/{name}", Role.VIEWER, "A file attached to a task's result",
                ctx -> {
                    byte[] content = queue.file(Api.idParam(ctx, "id"), ctx.pathParam("name"));
                    ctx.contentType("application/octet-stream");
                    ctx.disableCompression();
                    ctx.result(content);
                });
        api.get("/api/v1/tasks/{id}/images/{key}/{file}", Role.VIEWER,
                "One of the task's images, by its key in content.images (file name for the viewer only)", this::image);
    }

    private Map<String, Object> view(Task t) {
        return Views.task(t, queue.now(), roots);
    }

    private void me(Context ctx, Caller c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("roles", c.roles().stream().map(Role::id).sorted().toList());
        m.put("reviewer", db.withHandle(h -> reviewers.find(h, c.name())).orElse(null));
        ctx.json(m);
    }

    private void createProject(Context ctx, Requests.NewProject b) {
        Caller c = Api.caller(ctx);
        ProjectStore.Project p = db.inTransaction(h -> {
            if (!projects.insert(h, b.name(), b.description(), c.name(), queue.now())) {
                throw ApiError.conflict("project '" + b.name() + "' exists");
            }
            audit.record(h, c.name(), "project.create", "project/" + b.name(), b.description());
            return projects.find(h, b.name()).orElseThrow();
        });
        ctx.status(201).json(p);
    }

    private void putTemplate(Context ctx) {
        String name = ctx.pathParam("name");
        TaskTemplate t;
        try {
            t = parser.parse(new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8), "request body");
        } catch (InvalidTemplateException e) {
            throw ApiError.badRequest(e.problems().get(0).path().isEmpty() ? null : e.problems().get(0).path(), e.getMessage());
        }
        if (!t.name().equals(name)) {
            throw ApiError.badRequest("name", "the template is named '" + t.name() + "' but was sent to /api/v1/templates/" + name);
        }
        Caller c = Api.caller(ctx);
        TemplateStore.StoredTemplate stored = db.inTransaction(h -> {
            int revision = templates.put(h, t, c.name(), queue.now());
            audit.record(h, c.name(), "template.put", "template/" + name, "version " + t.version() + ", revision " + revision);
            return templates.find(h, name).orElseThrow();
        });
        ctx.status(stored.revision() == 1 ? 201 : 200).json(Views.template(stored));
    }

    private void putReviewer(Context ctx, Requests.ReviewerBody b) {
        String name = ctx.pathParam("name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")) throw ApiError.badRequest("name", "not a user name: " + name);
        Caller c = Api.caller(ctx);
        Reviewer r = new Reviewer(name, b.weight(), Set.copyOf(b.groups()), b.active());
        db.useTransaction(h -> {
            reviewers.put(h, r);
            audit.record(h, c.name(), "reviewer.put", "reviewer/" + name, "weight " + r.weight() + ", "
                    + (r.active() ? "active" : "inactive") + ", groups " + r.groups().stream().sorted().toList());
        });
        ctx.json(r);
    }

    private void taskGroup(Context ctx) {
        long id = Api.idParam(ctx, "id");
        TaskGroupStore.TaskGroup g = db.withHandle(h -> groups.find(h, id))
                .orElseThrow(() -> ApiError.notFound("no task group " + id));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", g);
        m.put("tasks", queue.inGroup(id).stream().map(this::view).toList());
        m.put("callback", db.withHandle(h -> outbox.find(h, "group", id)).map(TaskRoutes::callbackView).orElse(null));
        ctx.json(m);
    }

    private void listTasks(Context ctx) {
        String status = ctx.queryParam("status");
        Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
        if (status != null && !status.isBlank()) {
            try {
                Arrays.stream(status.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(TaskStatus::of).forEach(statuses::add);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("status", e.getMessage());
            }
        }
        String user = ctx.queryParam("user");
        if ("me".equals(user)) user = Api.caller(ctx).name();
        int page = Api.intQuery(ctx, "page", 0, 0, 1_000_000);
        int size = Api.intQuery(ctx, "size", 50, 1, 1000);
        TaskFilter.Page p = queue.list(new TaskFilter(blank(ctx.queryParam("project")), blank(ctx.queryParam("template")),
                statuses, blank(user), blank(ctx.queryParam("tag")), page, size));
        ctx.json(Views.page(p.items().stream().map(this::view).toList(), p.total(), p.page(), p.size()));
    }

    private void image(Context ctx) throws IOException {
        Task t = queue.get(Api.idParam(ctx, "id"));
        String key = ctx.pathParam("key");
        var url = t.content().path("images").get(key);
        if (url == null || !url.isTextual()) throw ApiError.notFound("task " + t.id() + " has no image '" + key + "'");
        ImageLocation where;
        try {
            where = roots.resolve(url.asText());
        } catch (IllegalArgumentException e) {
            // checked when the task was created: the file moved, or a link now points elsewhere
            throw ApiError.notFound("image '" + key + "' of task " + t.id() + " is not available: " + e.getMessage());
        }
        ImageFetcher.Opened opened;
        try {
            opened = images.open(where);
        } catch (IOException e) {
            throw new ApiError(502, "image '" + key + "' of task " + t.id() + " could not be read: " + e.getMessage(), null);
        }
        ctx.contentType("application/octet-stream");
        ctx.header("Cache-Control", "private, max-age=300");
        // images are mostly compressed already (.nii.gz); compressing them again costs time for nothing
        ctx.disableCompression();
        if (opened.length() >= 0) ctx.header("Content-Length", Long.toString(opened.length()));
        ctx.result(opened.body());
    }

    private static Map<String, Object> callbackView(Outbox.Callback c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", c.url());
        m.put("attempts", c.attempts());
        m.put("delivered", c.deliveredAt() != null);
        m.put("deliveredAt", c.deliveredAt() == null ? null : c.deliveredAt().toString());
        m.put("nextAttemptAt", c.deliveredAt() == null ? c.nextAttempt().toString() : null);
        m.put("lastError", c.lastError());
        return m;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
