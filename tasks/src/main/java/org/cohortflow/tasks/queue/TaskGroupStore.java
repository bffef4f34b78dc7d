package org.cohortflow.tasks.queue;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Task groups: sets of tasks with one callback when all of them are finished. */
public final class TaskGroupStore {

    /**
     * A task group.
     *
     * @param id          id
     * @param name        label
     * @param project     project name
     * @param callbackUrl where the group's results are PUT, or null
     * @param createdBy   who created it
     * @param createdAt   when
     * @param finishedAt  when its last task finished, or null
     */
    public record TaskGroup(long id, String name, String project, String callbackUrl, String createdBy, Instant createdAt,
                            Instant finishedAt) {
    }

    /** Creates a group; returns its id. */
    public long insert(Handle h, String name, String project, String callbackUrl, String secret, String by, Instant now) {
        return h.createUpdate("INSERT INTO task_group (name, project, callback_url, callback_secret, created_by, created_at) "
                        + "VALUES (:name, :project, :url, :secret, :by, :now)")
                .bind("name", name).bind("project", project).bind("url", callbackUrl).bind("secret", secret)
                .bind("by", by).bind("now", Timestamp.from(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** The group, if it exists. */
    public Optional<TaskGroup> find(Handle h, long id) {
        return h.createQuery("SELECT id, name, project, callback_url, created_by, created_at, finished_at FROM task_group "
                        + "WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new TaskGroup(rs.getLong("id"), rs.getString("name"), rs.getString("project"),
                        rs.getString("callback_url"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("finished_at") == null ? null : rs.getTimestamp("finished_at").toInstant()))
                .findOne();
    }

    /** All groups, newest first. */
    public List<TaskGroup> list(Handle h, String project) {
        return h.createQuery("SELECT id, name, project, callback_url, created_by, created_at, finished_at FROM task_group "
                        + (project == null ? "" : "WHERE project = :project ") + "ORDER BY id DESC")
                .bind("project", project)
                .map((rs, ctx) -> new TaskGroup(rs.getLong("id"), rs.getString("name"), rs.getString("project"),
                        rs.getString("callback_url"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("finished_at") == null ? null : rs.getTimestamp("finished_at").toInstant()))
                .list();
    }

    /** The group's callback secret. */
    public Optional<String> callbackSecret(Handle h, long id) {
        return h.createQuery("SELECT callback_secret FROM task_group WHERE id = :id").bind("id", id)
                .mapTo(String.class).findOne();
    }

    /** Marks the group finished, once: false when it already was. */
    public boolean markFinished(Handle h, long id, Instant now) {
        return h.createUpdate("UPDATE task_group SET finished_at = :now WHERE id = :id AND finished_at IS NULL")
                .bind("now", Timestamp.from(now)).bind("id", id).execute() == 1;
    }
}
