package org.cohortflow.tasks.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.auth.Caller;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.db.Database;
import org.cohortflow.server.http.ApiError;
import org.cohortflow.tasks.callback.Outbox;
import org.cohortflow.tasks.files.TaskFileStore;
import org.cohortflow.tasks.images.DataRoots;
import org.cohortflow.tasks.project.ProjectStore;
import org.cohortflow.tasks.template.FieldError;
import org.cohortflow.tasks.template.TaskTemplate;
import org.cohortflow.tasks.template.TemplateStore;
import org.jdbi.v3.core.Handle;

/**
 * What people do with tasks, each change in one transaction together with its audit entry and, when it
 * finishes a task or a task group, its callback in the outbox: create (assigning by weighted load), take the
 * next task, lock, unlock, save a draft, submit a result (checked against the template's form) or skip.
 * Refusals are {@link ApiError}s naming the field or the conflict.
 */
public final class TaskQueue {
    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    private final LockRules rules;
    private final Assigner assigner = new Assigner();
    private final TaskStore tasks;
    private final ReviewerStore reviewers;
    private final TaskGroupStore groups;
    private final TemplateStore templates;
    private final ProjectStore projects;
    private final Outbox outbox;
    private final DataRoots roots;
    private final ObjectMapper json;
    private final TaskFileStore files;
    private final Supplier<URI> publicBase;

    /** Wires the queue over the service's database and stores. */
    public TaskQueue(Database db, AuditLog audit, Clock clock, LockRules rules, TaskStore tasks, ReviewerStore reviewers,
                     TaskGroupStore groups, TemplateStore templates, ProjectStore projects, Outbox outbox, DataRoots roots,
                     ObjectMapper json, TaskFileStore files, Supplier<URI> publicBase) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.rules = rules;
        this.tasks = tasks;
        this.reviewers = reviewers;
        this.groups = groups;
        this.templates = templates;
        this.projects = projects;
        this.outbox = outbox;
        this.roots = roots;
        this.json = json;
        this.files = files;
        this.publicBase = publicBase;
    }

    /** The clock the queue judges locks by. */
    public Instant now() {
        return clock.instant();
    }

    /** The tasks of a creation, and whether they were made just now or by an earlier request with the same key. */
    public record Created(List<Task> tasks, boolean replayed) {
        public Created {
            tasks = List.copyOf(tasks);
        }
    }

    /**
     * Creates a task, or {@code readers} tasks of one reading set (double reading: each goes to a different
     * reviewer), assigned by weighted load among the reviewers the audience admits. With a creation key (the
     * request's Idempotency-Key) a repeated request returns the tasks made the first time instead.
     */
    public Created create(Caller by, NewTask given, int readers, String creationKey) {
        NewTask t = withImagesFromScans(given);
        if (creationKey != null) {
            List<Task> earlier = db.withHandle(h -> tasks.createdWith(h, creationKey));
            if (!earlier.isEmpty()) return new Created(earlier, true);
        }
        try {
            return new Created(insertTasks(by, t, readers, creationKey), false);
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            // two requests with one key at once: the key's primary key let only one through; answer with its tasks
            if (creationKey != null) {
                List<Task> earlier = db.withHandle(h -> tasks.createdWith(h, creationKey));
                if (!earlier.isEmpty()) return new Created(earlier, true);
            }
            throw e;
        }
    }

    /**
     * A task whose content lists {@code scans} ({@code [{"label": "ct", "url": ...}]}, as the study governor
     * sends an experiment's scans) gets {@code images.LABEL = url} for every scan whose label is not already
     * an image key, so a template's image keys can simply be scan labels.
     */
    private NewTask withImagesFromScans(NewTask t) {
        JsonNode scans = t.content().path("scans");
        if (!scans.isArray() || scans.isEmpty()) return t;
        ObjectNode content = t.content().deepCopy();
        ObjectNode images = content.path("images").isObject() ? (ObjectNode) content.get("images") : content.putObject("images");
        for (JsonNode scan : scans) {
            String label = scan.path("label").asText("");
            if (!label.isEmpty() && scan.path("url").isTextual() && !images.has(label)) {
                images.put(label, scan.get("url").asText());
            }
        }
        return new NewTask(t.project(), t.template(), content, t.tags(), t.fixedUser(), t.fixedGroup(), t.taskGroup(),
                t.callbackUrl(), t.callbackSecret());
    }

    private List<Task> insertTasks(Caller by, NewTask t, int readers, String creationKey) {
        if (readers < 1 || readers > 10) throw ApiError.badRequest("readers", "'readers' must be between 1 and 10");
        if (readers > 1 && t.fixedUser() != null) {
            throw ApiError.badRequest("readers", "a task fixed to one user cannot be read by " + readers + " people");
        }
        checkCallback(t.callbackUrl(), t.callbackSecret(), "");
        return db.inTransaction(h -> {
            Instant now = clock.instant();
            if (projects.find(h, t.project()).isEmpty()) {
                throw ApiError.badRequest("project", "unknown project '" + t.project() + "'");
            }
            TaskTemplate template = templates.find(h, t.template()).map(TemplateStore.StoredTemplate::template)
                    .orElseThrow(() -> ApiError.badRequest("template", "unknown template '" + t.template() + "' (known: "
                            + templates.list(h).stream().map(s -> s.template().name()).collect(Collectors.joining(", ")) + ")"));
            checkImages(template, t.content());
            if (t.taskGroup() != null) {
                TaskGroupStore.TaskGroup g = groups.find(h, t.taskGroup())
                        .orElseThrow(() -> ApiError.badRequest("taskGroup", "unknown task group " + t.taskGroup()));
                if (!g.project().equals(t.project())) {
                    throw ApiError.badRequest("taskGroup", "task group " + g.id() + " belongs to project " + g.project());
                }
                if (g.finishedAt() != null) {
                    throw ApiError.badRequest("taskGroup", "task group " + g.id() + " is already finished");
                }
            }
            List<String> picked = assigner.pick(reviewers.list(h), t.audience(), readers, reviewers.loads(h));
            if (creationKey != null && !tasks.claimCreationKey(h, creationKey, by.name(), now)) {
                return tasks.createdWith(h, creationKey);
            }
            List<Task> created = new ArrayList<>();
            Long readingSet = null;
            for (int i = 0; i < readers; i++) {
                String assignee = i < picked.size() ? picked.get(i) : null;
                long id = tasks.insert(h, t, assignee, readingSet, creationKey, by.name(), now);
                if (readers > 1 && readingSet == null) {
                    readingSet = id;
                    tasks.setReadingSet(h, id, id);
                }
                if (assignee != null) reviewers.countAssignment(h, assignee);
                audit.record(h, by.name(), "task.create", "task/" + id, "project " + t.project() + ", template "
                        + t.template() + (assignee == null ? ", open pool" : ", assigned to " + assignee)
                        + (readers > 1 ? ", reading " + (i + 1) + " of " + readers : ""));
                created.add(tasks.find(h, id).orElseThrow());
            }
            return created;
        });
    }

    /** Creates a task group, whose callback fires once all its tasks are finished. */
    public TaskGroupStore.TaskGroup createGroup(Caller by, String name, String project, String callbackUrl, String secret) {
        checkCallback(callbackUrl, secret, "");
        return db.inTransaction(h -> {
            if (projects.find(h, project).isEmpty()) throw ApiError.badRequest("project", "unknown project '" + project + "'");
            long id = groups.insert(h, name, project, callbackUrl, secret, by.name(), clock.instant());
            audit.record(h, by.name(), "taskgroup.create", "taskgroup/" + id, name + " in project " + project);
            return groups.find(h, id).orElseThrow();
        });
    }

    /**
     * Locks and returns the task {@code user} should do next: a task they hold, else the oldest assigned to
     * them, else the oldest open-pool task their groups admit; empty when there is none.
     */
    public Optional<Task> next(Caller user) {
        return db.inTransaction(h -> {
            Reviewer r = reviewer(h, user);
            Instant now = clock.instant();
            for (Task candidate : tasks.candidates(h, user.name(), r.groups(), now, 25)) {
                Lock lock = new Lock(user.name(), now.plus(rules.timeToLive()));
                if (tasks.tryLock(h, candidate.id(), lock, now)) {
                    audit.record(h, user.name(), "task.lock", "task/" + candidate.id(), "next task, until " + lock.expiresAt());
                    return tasks.find(h, candidate.id());
                }
            }
            return Optional.<Task>empty();
        });
    }

    /** Locks a task for {@code user} (renewing their own lock); 409 when someone else holds it. */
    public Task lock(Caller user, long id) {
        return db.inTransaction(h -> {
            Instant now = clock.instant();
            Task t = tasks.findForUpdate(h, id).orElseThrow(() -> notFound(id));
            LockDecision d = rules.acquire(t.status(), Optional.ofNullable(t.lock()), user.name(), now);
            if (d instanceof LockDecision.HeldByOther other) {
                throw ApiError.conflict("task " + id + " is locked by " + other.lock().holder() + " until " + other.lock().expiresAt());
            }
            if (d instanceof LockDecision.Closed closed) {
                throw ApiError.conflict("task " + id + " is " + closed.status().id() + "; it cannot be locked");
            }
            boolean renewal = t.activeLock(now).isPresent();
            if (!renewal) mayTake(h, user, t);
            Lock lock = ((LockDecision.Granted) d).lock();
            if (!tasks.tryLock(h, id, lock, now)) throw ApiError.conflict("task " + id + " was locked by someone else just now");
            audit.record(h, user.name(), "task.lock", "task/" + id, (renewal ? "renewed" : "locked") + " until " + lock.expiresAt());
            return tasks.find(h, id).orElseThrow();
        });
    }

    /** Releases the lock: by its holder, or by a manager taking the task back. */
    public Task release(Caller user, long id) {
        return db.inTransaction(h -> {
            Instant now = clock.instant();
            Task t = tasks.findForUpdate(h, id).orElseThrow(() -> notFound(id));
            Optional<Lock> active = t.activeLock(now);
            if (active.isEmpty()) return t;
            if (!rules.mayRelease(active, user.name(), user.has(Role.MANAGER))) {
                throw ApiError.forbidden("task " + id + " is locked by " + active.get().holder() + "; only they or a manager may unlock it");
            }
            tasks.release(h, id);
            audit.record(h, user.name(), "task.unlock", "task/" + id, "lock of " + active.get().holder() + " released");
            return tasks.find(h, id).orElseThrow();
        });
    }

    /** Saves unsubmitted form values; the lock holder only. */
    public Task saveDraft(Caller user, long id, JsonNode draft) {
        return db.inTransaction(h -> {
            Task t = writable(h, user, id);
            tasks.saveDraft(h, id, draft);
            audit.record(h, user.name(), "task.draft", "task/" + t.id(), "draft saved");
            return tasks.find(h, id).orElseThrow();
        });
    }

    /**
     * Submits a result; the lock holder only. A result the template's form refuses is kept as the draft (so
     * nothing typed is lost), the refusal is audited, and a 422 names the first offending field.
     */
    public Task submit(Caller user, long id, JsonNode result) {
        Object outcome = db.inTransaction(h -> {
            Task t = writable(h, user, id);
            TaskTemplate template = templates.find(h, t.template()).orElseThrow().template();
            List<FieldError> errors = template.form().validate(result);
            Instant now = clock.instant();
            if (!errors.isEmpty()) {
                tasks.saveDraft(h, id, result);
                audit.record(h, user.name(), "task.result.refused", "task/" + id, errors.stream()
                        .map(e -> (e.field().isEmpty() ? "result" : e.field()) + ": " + e.message()).collect(Collectors.joining("; ")));
                return errors;
            }
            tasks.finish(h, id, TaskStatus.DONE, result, null, user.name(), now);
            audit.record(h, user.name(), "task.submit", "task/" + id, "result submitted");
            return afterFinish(h, id, now);
        });
        if (outcome instanceof List<?> errors) {
            FieldError first = (FieldError) errors.get(0);
            throw ApiError.unprocessable(first.field().isEmpty() ? "result" : "result." + first.field(),
                    "the result does not match the template's form: " + (first.field().isEmpty() ? "" : first.field() + ": ")
                            + first.message() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
        }
        return (Task) outcome;
    }

    /** Attaches a file to the task's result (e.g. a corrected mask); the lock holder only. */
    public TaskFileStore.FileInfo putFile(Caller user, long id, String name, byte[] content) {
        return db.inTransaction(h -> {
            writable(h, user, id);
            TaskFileStore.FileInfo info = files.put(h, id, name, content, user.name(), clock.instant());
            audit.record(h, user.name(), "task.file", "task/" + id, name + ", " + info.size() + " bytes, sha256 " + info.sha256());
            return info;
        });
    }

    /** A file of a task; 404 when there is none. */
    public byte[] file(long id, String name) {
        return db.withHandle(h -> files.content(h, id, name))
                .orElseThrow(() -> ApiError.notFound("task " + id + " has no file '" + name + "'"));
    }

    /** The files of a task. */
    public List<TaskFileStore.FileInfo> files(long id) {
        return db.withHandle(h -> files.list(h, id));
    }

    /** Skips a task with a reason; the lock holder only. */
    public Task skip(Caller user, long id, String reason) {
        if (reason == null || reason.isBlank()) throw ApiError.badRequest("reason", "'reason' is required to skip a task");
        return db.inTransaction(h -> {
            writable(h, user, id);
            Instant now = clock.instant();
            tasks.finish(h, id, TaskStatus.SKIPPED, null, reason.strip(), user.name(), now);
            audit.record(h, user.name(), "task.skip", "task/" + id, reason.strip());
            return afterFinish(h, id, now);
        });
    }

    /**
     * Marks an open task failed (a manager's decision, e.g. its images are unusable), with a reason; its
     * callback reports {@code failed}. Any lock is cleared.
     */
    public Task fail(Caller manager, long id, String reason) {
        if (reason == null || reason.isBlank()) throw ApiError.badRequest("reason", "'reason' is required to fail a task");
        return db.inTransaction(h -> {
            Task t = tasks.findForUpdate(h, id).orElseThrow(() -> notFound(id));
            if (!t.status().isOpen()) throw ApiError.conflict("task " + id + " is already " + t.status().id());
            Instant now = clock.instant();
            tasks.finish(h, id, TaskStatus.FAILED, null, reason.strip(), manager.name(), now);
            audit.record(h, manager.name(), "task.fail", "task/" + id, reason.strip());
            return afterFinish(h, id, now);
        });
    }

    /** Gives an open, unlocked task to another reviewer (a manager's decision), or back to the open pool. */
    public Task assign(Caller manager, long id, String user) {
        return db.inTransaction(h -> {
            Task t = tasks.findForUpdate(h, id).orElseThrow(() -> notFound(id));
            Instant now = clock.instant();
            if (!t.status().isOpen()) throw ApiError.conflict("task " + id + " is already " + t.status().id());
            if (t.activeLock(now).isPresent()) {
                throw ApiError.conflict("task " + id + " is locked by " + t.lock().holder() + "; unlock it first");
            }
            if (user != null) {
                Reviewer r = reviewers.find(h, user).orElseThrow(() -> ApiError.badRequest("user", "no reviewer '" + user + "'"));
                if (!t.audience().admits(r)) throw ApiError.badRequest("user", "task " + id + " is not for " + user);
                reviewers.countAssignment(h, user);
            }
            tasks.assign(h, id, user);
            audit.record(h, manager.name(), "task.assign", "task/" + id,
                    (t.assignee() == null ? "open pool" : t.assignee()) + " -> " + (user == null ? "open pool" : user));
            return tasks.find(h, id).orElseThrow();
        });
    }

    /** A task by id; 404 when there is none. */
    public Task get(long id) {
        return db.withHandle(h -> tasks.find(h, id)).orElseThrow(() -> notFound(id));
    }

    /** The tasks of a task group, by id. */
    public List<Task> inGroup(long taskGroup) {
        return db.withHandle(h -> tasks.inGroup(h, taskGroup));
    }

    /** A page of tasks. */
    public TaskFilter.Page list(TaskFilter f) {
        return db.withHandle(h -> tasks.list(h, f, clock.instant()));
    }

    /** Queues the finished task's callback and, when it was the last of its group, the group's. */
    private Task afterFinish(Handle h, long id, Instant now) {
        Task t = tasks.find(h, id).orElseThrow();
        if (t.callbackUrl() != null) {
            outbox.enqueue(h, "task", id, t.callbackUrl(), tasks.callbackSecret(h, id).orElse(""), json(taskBody(h, t)), now);
        }
        if (t.taskGroup() != null) {
            List<Task> members = tasks.inGroup(h, t.taskGroup());
            if (members.stream().noneMatch(m -> m.status().isOpen()) && groups.markFinished(h, t.taskGroup(), now)) {
                TaskGroupStore.TaskGroup g = groups.find(h, t.taskGroup()).orElseThrow();
                audit.record(h, "system", "taskgroup.finish", "taskgroup/" + g.id(), members.size() + " task(s) finished");
                if (g.callbackUrl() != null) {
                    ObjectNode body = json.createObjectNode().put("kind", "group").put("group", g.id()).put("name", g.name())
                            .put("project", g.project());
                    ArrayNode list = body.putArray("tasks");
                    members.forEach(m -> list.add(taskBody(h, m)));
                    outbox.enqueue(h, "group", g.id(), g.callbackUrl(), groups.callbackSecret(h, g.id()).orElse(""), json(body), now);
                }
            }
        }
        return t;
    }

    /** The JSON a task's callback carries; its files as absolute URLs the receiver fetches with a token. */
    private ObjectNode taskBody(Handle h, Task t) {
        ObjectNode body = json.createObjectNode().put("kind", "task").put("task", t.id()).put("project", t.project())
                .put("template", t.template()).put("status", t.status().id());
        body.set("subject", t.content().path("subject"));
        body.set("experiment", t.content().path("experiment"));
        body.set("tags", json.valueToTree(t.tags()));
        body.set("result", t.result() == null ? json.nullNode() : t.result());
        body.put("skipReason", t.skipReason());
        body.put("finishedBy", t.finishedBy());
        body.put("finishedAt", t.finishedAt() == null ? null : t.finishedAt().toString());
        ObjectNode attached = body.putObject("files");
        for (TaskFileStore.FileInfo f : files.list(h, t.id())) {
            attached.put(f.name(), publicBase.get().resolve("/api/v1/tasks/" + t.id() + "/files/" + f.name()).toString());
        }
        body.set("content", t.content());
        return body;
    }

    private Task writable(Handle h, Caller user, long id) {
        Task t = tasks.findForUpdate(h, id).orElseThrow(() -> notFound(id));
        rules.refusalToWrite(t.status(), Optional.ofNullable(t.lock()), user.name(), clock.instant()).ifPresent(why -> {
            throw ApiError.conflict("task " + id + ": " + why);
        });
        return t;
    }

    /** Refuses a user who may not take {@code t}: not theirs, not in their groups, or a second reading. */
    private void mayTake(Handle h, Caller user, Task t) {
        if (user.has(Role.MANAGER) && reviewers.find(h, user.name()).isEmpty()) return;
        Reviewer r = reviewer(h, user);
        if (t.assignee() != null && !t.assignee().equals(user.name())) {
            throw ApiError.forbidden("task " + t.id() + " is assigned to " + t.assignee());
        }
        if (!t.audience().admits(r)) {
            throw ApiError.forbidden("task " + t.id() + " is for " + t.audience().user().map(u -> "user " + u)
                    .orElse("group " + t.audience().group().orElse("?")));
        }
        if (t.readingSet() != null && tasks.readsAnotherOfSet(h, t.readingSet(), t.id(), user.name())) {
            throw ApiError.conflict("task " + t.id() + " is a second reading of a case you already read");
        }
    }

    private Reviewer reviewer(Handle h, Caller user) {
        return reviewers.find(h, user.name()).orElseThrow(() -> ApiError.forbidden("user '" + user.name()
                + "' is not a reviewer of the task service (a manager adds reviewers with PUT /api/v1/reviewers/"
                + user.name() + ")"));
    }

    private void checkImages(TaskTemplate template, JsonNode content) {
        JsonNode images = content.path("images");
        if (!images.isObject()) {
            throw ApiError.badRequest("content.images", "'content.images' must map the template's image keys ("
                    + String.join(", ", template.imageKeys()) + ") to URLs");
        }
        for (String key : template.imageKeys()) {
            JsonNode url = images.get(key);
            if (url == null || !url.isTextual()) {
                throw ApiError.badRequest("content.images." + key, "template " + template.name() + " shows image '" + key
                        + "': give its URL in content.images." + key);
            }
            try {
                roots.resolve(url.asText());
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("content.images." + key, e.getMessage());
            }
        }
        for (Map.Entry<String, JsonNode> e : images.properties()) {
            if (!template.imageKeys().contains(e.getKey())) {
                throw ApiError.badRequest("content.images." + e.getKey(), "template " + template.name()
                        + " has no image '" + e.getKey() + "' (it shows " + String.join(", ", template.imageKeys()) + ")");
            }
        }
    }

    /** Refuses a callback URL that is not http(s) or comes without a secret. */
    static void checkCallback(String url, String secret, String prefix) {
        if (url == null) {
            if (secret != null) throw ApiError.badRequest(prefix + "callbackSecret", "a callback secret needs a callbackUrl");
            return;
        }
        try {
            URI uri = new URI(url);
            if (!Set.of("http", "https").contains(String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT))
                    || uri.getHost() == null) {
                throw ApiError.badRequest(prefix + "callbackUrl", "'callbackUrl' must be an http or https URL, found " + url);
            }
        } catch (java.net.URISyntaxException e) {
            throw ApiError.badRequest(prefix + "callbackUrl", "'callbackUrl' is not a valid URL: " + url);
        }
        if (secret == null || secret.length() < 8) {
            throw ApiError.badRequest(prefix + "callbackSecret", "'callbackSecret' of at least 8 characters is required with a callbackUrl");
        }
    }

    private String json(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiError notFound(long id) {
        return ApiError.notFound("no task " + id);
    }
}
