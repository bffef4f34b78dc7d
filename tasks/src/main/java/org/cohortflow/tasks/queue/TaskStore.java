package org.cohortflow.tasks.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * The task table and its tags, in SQL that runs on H2 and PostgreSQL. Every method works inside the
 * caller's handle, so a state change, its audit entry and its callback commit together.
 */
public final class TaskStore {
    private static final String COLUMNS = "id, project, template, task_group, reading_set, content, status, fixed_user, "
            + "fixed_group, assignee, lock_holder, lock_expires_at, draft, result, skip_reason, finished_by, finished_at, "
            + "callback_url, created_by, created_at";
    /** Open and free at :now: queued, or in progress under a lapsed lock. */
    private static final String AVAILABLE = "(status = 'queued' OR (status = 'in_progress' AND lock_expires_at <= :now))";

    private final ObjectMapper json;

    public TaskStore(ObjectMapper json) {
        this.json = json;
    }

    /** Inserts a task and its tags; returns its id. */
    public long insert(Handle h, NewTask t, String assignee, Long readingSet, String creationKey, String createdBy, Instant now) {
        long id = h.createUpdate("INSERT INTO task (project, template, task_group, reading_set, subject, experiment, content, "
                        + "status, fixed_user, fixed_group, assignee, callback_url, callback_secret, creation_key, created_by, "
                        + "created_at) VALUES (:project, :template, :taskGroup, :readingSet, :subject, :experiment, :content, "
                        + "'queued', :fixedUser, :fixedGroup, :assignee, :callbackUrl, :callbackSecret, :key, :createdBy, :now)")
                .bind("project", t.project()).bind("template", t.template()).bind("taskGroup", t.taskGroup())
                .bind("readingSet", readingSet).bind("subject", t.subject()).bind("experiment", t.experiment())
                .bind("content", write(t.content())).bind("fixedUser", t.fixedUser()).bind("fixedGroup", t.fixedGroup())
                .bind("assignee", assignee).bind("callbackUrl", t.callbackUrl()).bind("callbackSecret", t.callbackSecret())
                .bind("key", creationKey).bind("createdBy", createdBy).bind("now", Timestamp.from(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        for (String tag : Set.copyOf(t.tags())) {
            h.createUpdate("INSERT INTO task_tag (task_id, tag) VALUES (:id, :tag)").bind("id", id).bind("tag", tag).execute();
        }
        return id;
    }

    /**
     * Claims an Idempotency-Key for a creation: true when it is new, false when a creation with this key was
     * already made (its tasks are then {@link #createdWith}).
     */
    public boolean claimCreationKey(Handle h, String key, String by, Instant now) {
        if (h.createQuery("SELECT COUNT(*) FROM creation_key WHERE creation_key = :k").bind("k", key).mapTo(Long.class).one() > 0) {
            return false;
        }
        h.createUpdate("INSERT INTO creation_key (creation_key, created_by, created_at) VALUES (:k, :by, :now)")
                .bind("k", key).bind("by", by).bind("now", Timestamp.from(now)).execute();
        return true;
    }

    /** The tasks made by the creation with this Idempotency-Key, by id. */
    public List<Task> createdWith(Handle h, String key) {
        return withTags(h, h.createQuery("SELECT " + COLUMNS + " FROM task WHERE creation_key = :k ORDER BY id")
                .bind("k", key).map((rs, ctx) -> row(rs)).list());
    }

    /** Sets the reading set of {@code id} (the first task of a set names the set). */
    public void setReadingSet(Handle h, long id, long readingSet) {
        h.createUpdate("UPDATE task SET reading_set = :set WHERE id = :id").bind("set", readingSet).bind("id", id).execute();
    }

    /** The task, if it exists. */
    public Optional<Task> find(Handle h, long id) {
        return withTags(h, h.createQuery("SELECT " + COLUMNS + " FROM task WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> row(rs)).list()).stream().findFirst();
    }

    /** The task, locked in the database until the transaction ends, so concurrent changes queue up. */
    public Optional<Task> findForUpdate(Handle h, long id) {
        return withTags(h, h.createQuery("SELECT " + COLUMNS + " FROM task WHERE id = :id FOR UPDATE").bind("id", id)
                .map((rs, ctx) -> row(rs)).list()).stream().findFirst();
    }

    /** The callback secret of a task (never part of {@link Task}, so it is not shown by accident). */
    public Optional<String> callbackSecret(Handle h, long id) {
        return h.createQuery("SELECT callback_secret FROM task WHERE id = :id").bind("id", id).mapTo(String.class).findOne();
    }

    /** One page of tasks matching {@code f}, oldest first. */
    public TaskFilter.Page list(Handle h, TaskFilter f, Instant now) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> binds = new HashMap<>();
        binds.put("now", Timestamp.from(now));
        if (f.project() != null) {
            where.append(" AND project = :project");
            binds.put("project", f.project());
        }
        if (f.template() != null) {
            where.append(" AND template = :template");
            binds.put("template", f.template());
        }
        if (f.user() != null) {
            where.append(" AND (assignee = :user OR (lock_holder = :user AND lock_expires_at > :now) OR finished_by = :user)");
            binds.put("user", f.user());
        }
        if (f.tag() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM task_tag g WHERE g.task_id = task.id AND g.tag = :tag)");
            binds.put("tag", f.tag());
        }
        if (!f.statuses().isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (TaskStatus s : f.statuses()) {
                switch (s) {
                    case QUEUED -> parts.add(AVAILABLE);
                    case IN_PROGRESS -> parts.add("(status = 'in_progress' AND lock_expires_at > :now)");
                    default -> parts.add("status = '" + s.id() + "'");
                }
            }
            where.append(" AND (").append(String.join(" OR ", parts)).append(")");
        }
        Query count = h.createQuery("SELECT COUNT(*) FROM task" + where);
        // :now is bound for every filter but used only by the status and user ones
        count.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        binds.forEach(count::bind);
        long total = count.mapTo(Long.class).one();
        Query page = h.createQuery("SELECT " + COLUMNS + " FROM task" + where
                + " ORDER BY created_at, id LIMIT :limit OFFSET :offset");
        page.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        binds.forEach(page::bind);
        page.bind("limit", f.size()).bind("offset", (long) f.page() * f.size());
        return new TaskFilter.Page(withTags(h, page.map((rs, ctx) -> row(rs)).list()), total, f.page(), f.size());
    }

    /**
     * Tasks {@code user} could take now, oldest first: their own (locked by them first, then assigned to
     * them), then open-pool tasks their groups admit, never a second task of a reading set they are in.
     */
    public List<Task> candidates(Handle h, String user, Set<String> groups, Instant now, int limit) {
        String groupTest = groups.isEmpty() ? "fixed_group IS NULL"
                : "(fixed_group IS NULL OR fixed_group IN (<groups>))";
        Query q = h.createQuery("SELECT " + COLUMNS + " FROM task t WHERE "
                        + "((t.status = 'in_progress' AND t.lock_holder = :user AND t.lock_expires_at > :now) "
                        + " OR (" + AVAILABLE.replace("status", "t.status").replace("lock_expires_at", "t.lock_expires_at")
                        + " AND (t.assignee = :user OR (t.assignee IS NULL AND (t.fixed_user IS NULL OR t.fixed_user = :user) AND "
                        + groupTest.replace("fixed_group", "t.fixed_group") + "))"
                        + " AND (t.reading_set IS NULL OR NOT EXISTS (SELECT 1 FROM task o WHERE o.reading_set = t.reading_set "
                        + "AND o.id <> t.id AND (o.assignee = :user OR o.finished_by = :user OR o.lock_holder = :user)))))"
                        + " ORDER BY CASE WHEN t.lock_holder = :user AND t.lock_expires_at > :now THEN 0 "
                        + "WHEN t.assignee = :user THEN 1 ELSE 2 END, t.created_at, t.id LIMIT :limit")
                .bind("user", user).bind("now", Timestamp.from(now)).bind("limit", limit);
        if (!groups.isEmpty()) q.bindList("groups", List.copyOf(groups));
        return withTags(h, q.map((rs, ctx) -> row(rs)).list());
    }

    /** Whether {@code user} already has another task of {@code readingSet} (assigned, locked or finished). */
    public boolean readsAnotherOfSet(Handle h, long readingSet, long exceptTask, String user) {
        return h.createQuery("SELECT COUNT(*) FROM task WHERE reading_set = :set AND id <> :id AND "
                        + "(assignee = :user OR finished_by = :user OR lock_holder = :user)")
                .bind("set", readingSet).bind("id", exceptTask).bind("user", user).mapTo(Long.class).one() > 0;
    }

    /**
     * Locks the task for {@code lock.holder()} if, at {@code now}, it is open and unlocked, lapsed or already
     * theirs; an open-pool task becomes assigned to them. The condition is in the UPDATE itself, so of two
     * concurrent claims exactly one wins. Returns whether this one did.
     */
    public boolean tryLock(Handle h, long id, Lock lock, Instant now) {
        return h.createUpdate("UPDATE task SET status = 'in_progress', lock_holder = :user, lock_expires_at = :expires, "
                        + "assignee = COALESCE(assignee, :user) WHERE id = :id AND status IN ('queued', 'in_progress') "
                        + "AND (lock_holder IS NULL OR lock_expires_at <= :now OR lock_holder = :user)")
                .bind("user", lock.holder()).bind("expires", Timestamp.from(lock.expiresAt()))
                .bind("now", Timestamp.from(now)).bind("id", id).execute() == 1;
    }

    /** Sets (or, with null, clears) the task's assignee. */
    public void assign(Handle h, long id, String user) {
        h.createUpdate("UPDATE task SET assignee = :user WHERE id = :id").bind("user", user).bind("id", id).execute();
    }

    /** Clears the lock; the task is queued again. */
    public void release(Handle h, long id) {
        h.createUpdate("UPDATE task SET status = 'queued', lock_holder = NULL, lock_expires_at = NULL "
                + "WHERE id = :id AND status = 'in_progress'").bind("id", id).execute();
    }

    /** Stores the reviewer's unsubmitted form values. */
    public void saveDraft(Handle h, long id, JsonNode draft) {
        h.createUpdate("UPDATE task SET draft = :draft WHERE id = :id").bind("draft", write(draft)).bind("id", id).execute();
    }

    /** Finishes the task as done, skipped or failed, clearing its lock. */
    public void finish(Handle h, long id, TaskStatus status, JsonNode result, String skipReason, String user, Instant now) {
        h.createUpdate("UPDATE task SET status = :status, result = :result, skip_reason = :reason, finished_by = :user, "
                        + "finished_at = :now, lock_holder = NULL, lock_expires_at = NULL WHERE id = :id")
                .bind("status", status.id()).bind("result", result == null ? null : write(result))
                .bind("reason", skipReason).bind("user", user).bind("now", Timestamp.from(now)).bind("id", id).execute();
    }

    /** The tasks of a task group, by id. */
    public List<Task> inGroup(Handle h, long taskGroup) {
        return withTags(h, h.createQuery("SELECT " + COLUMNS + " FROM task WHERE task_group = :g ORDER BY id")
                .bind("g", taskGroup).map((rs, ctx) -> row(rs)).list());
    }

    private List<Task> withTags(Handle h, List<Task> tasks) {
        if (tasks.isEmpty()) return tasks;
        Map<Long, List<String>> tags = new HashMap<>();
        h.createQuery("SELECT task_id, tag FROM task_tag WHERE task_id IN (<ids>) ORDER BY tag")
                .bindList("ids", tasks.stream().map(Task::id).toList())
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(e -> tags.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<Long, Task> byId = new LinkedHashMap<>();
        for (Task t : tasks) {
            byId.put(t.id(), new Task(t.id(), t.project(), t.template(), t.taskGroup(), t.readingSet(), t.content(),
                    tags.getOrDefault(t.id(), List.of()), t.status(), t.fixedUser(), t.fixedGroup(), t.assignee(), t.lock(),
                    t.draft(), t.result(), t.skipReason(), t.finishedBy(), t.finishedAt(), t.callbackUrl(), t.createdBy(),
                    t.createdAt()));
        }
        return List.copyOf(byId.values());
    }

    private Task row(ResultSet rs) throws SQLException {
        String holder = rs.getString("lock_holder");
        Timestamp expires = rs.getTimestamp("lock_expires_at");
        return new Task(rs.getLong("id"), rs.getString("project"), rs.getString("template"),
                rs.getObject("task_group", Long.class), rs.getObject("reading_set", Long.class),
                read(rs.getString("content")), List.of(), TaskStatus.of(rs.getString("status")),
                rs.getString("fixed_user"), rs.getString("fixed_group"), rs.getString("assignee"),
                holder == null || expires == null ? null : new Lock(holder, expires.toInstant()),
                read(rs.getString("draft")), read(rs.getString("result")), rs.getString("skip_reason"),
                rs.getString("finished_by"), instant(rs.getTimestamp("finished_at")), rs.getString("callback_url"),
                rs.getString("created_by"), rs.getTimestamp("created_at").toInstant());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private JsonNode read(String text) {
        if (text == null) return null;
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
