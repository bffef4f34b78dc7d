package org.cohortflow.governance.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Callback executions; methods run in the caller's transaction. */
public final class CallbackStore {

    public long create(Handle h, long experimentId, long entryActionId, int position, String name, String type, String status,
                       int maxAttempts, String secret, String message, Instant dueAt, Instant now) {
        return h.createUpdate("INSERT INTO callback_execution (experiment_id, entry_action_id, position, name, type, status,"
                        + " attempts, max_attempts, secret, message, due_at, created_at)"
                        + " VALUES (:e, :a, :p, :n, :t, :s, 0, :m, :secret, :msg, :due, :now)")
                .bind("e", experimentId).bind("a", entryActionId).bind("p", position).bind("n", name).bind("t", type)
                .bind("s", status).bind("m", maxAttempts).bind("secret", secret).bind("msg", message).bind("due", dueAt)
                .bind("now", now).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public Optional<CallbackExecution> find(Handle h, long id) {
        return h.createQuery("SELECT * FROM callback_execution WHERE id = :id").bind("id", id).map((rs, c) -> execution(rs)).findOne();
    }

    /** The experiment an execution belongs to (to lock it first). */
    public Optional<Long> experimentOf(Handle h, long id) {
        return h.createQuery("SELECT experiment_id FROM callback_execution WHERE id = :id").bind("id", id).mapTo(Long.class).findOne();
    }

    public Optional<String> secret(Handle h, long id) {
        return h.createQuery("SELECT secret FROM callback_execution WHERE id = :id").bind("id", id).mapTo(String.class).findOne();
    }

    public List<CallbackExecution> forEntry(Handle h, long entryActionId) {
        return h.createQuery("SELECT * FROM callback_execution WHERE entry_action_id = :a ORDER BY position")
                .bind("a", entryActionId).map((rs, c) -> execution(rs)).list();
    }

    public List<CallbackExecution> forExperiment(Handle h, long experimentId) {
        return h.createQuery("SELECT * FROM callback_execution WHERE experiment_id = :e ORDER BY id")
                .bind("e", experimentId).map((rs, c) -> execution(rs)).list();
    }

    /** Executions the scheduler must watch: queued, running or waiting, with their due time. */
    public List<CallbackExecution> pending(Handle h) {
        return h.createQuery("SELECT * FROM callback_execution WHERE status IN ('queued', 'running', 'waiting') ORDER BY due_at")
                .map((rs, c) -> execution(rs)).list();
    }

    /** Pending executions due at or before {@code now}. */
    public List<Long> due(Handle h, Instant now, int limit) {
        return h.createQuery("SELECT id FROM callback_execution WHERE status IN ('queued', 'running', 'waiting') AND due_at <= :now"
                        + " ORDER BY due_at LIMIT :l").bind("now", now).bind("l", limit).mapTo(Long.class).list();
    }

    public void markRunning(Handle h, long id, int attempt, Instant now, Instant dueAt, String runner) {
        h.createUpdate("UPDATE callback_execution SET status = 'running', attempts = :a, started_at = :now, due_at = :due,"
                        + " runner = :r, message = NULL WHERE id = :id")
                .bind("a", attempt).bind("now", now).bind("due", dueAt).bind("r", runner).bind("id", id).execute();
    }

    public void markWaiting(Handle h, long id, Instant dueAt, String message) {
        h.createUpdate("UPDATE callback_execution SET status = 'waiting', due_at = :due, message = :m WHERE id = :id")
                .bind("due", dueAt).bind("m", message).bind("id", id).execute();
    }

    public void markQueued(Handle h, long id, Instant dueAt, String message) {
        h.createUpdate("UPDATE callback_execution SET status = 'queued', due_at = :due, message = :m WHERE id = :id")
                .bind("due", dueAt).bind("m", message).bind("id", id).execute();
    }

    public void markFinished(Handle h, long id, String result, String message, String output, Instant now) {
        h.createUpdate("UPDATE callback_execution SET status = 'finished', result = :r, message = :m, output = :o,"
                        + " due_at = NULL, finished_at = :now WHERE id = :id")
                .bind("r", result).bind("m", message).bind("o", output).bind("now", now).bind("id", id).execute();
    }

    public void markSkipped(Handle h, long id, String message, Instant now) {
        h.createUpdate("UPDATE callback_execution SET status = 'skipped', message = :m, due_at = NULL, finished_at = :now WHERE id = :id")
                .bind("m", message).bind("now", now).bind("id", id).execute();
    }

    /**
     * After a crash: attempts that were running in a process that no longer exists did not finish; they go
     * back to the queue without counting as an attempt.
     */
    public int requeueInterrupted(Handle h, String runner, Instant now) {
        return h.createUpdate("UPDATE callback_execution SET status = 'queued', attempts = attempts - 1, due_at = :now,"
                        + " message = 'interrupted by a restart of the governor; started again' WHERE status = 'running'"
                        + " AND (runner IS NULL OR runner <> :r)")
                .bind("now", now).bind("r", runner).execute();
    }

    private static CallbackExecution execution(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new CallbackExecution(rs.getLong("id"), rs.getLong("experiment_id"), rs.getLong("entry_action_id"),
                rs.getString("name"), rs.getString("type"), rs.getString("status"), rs.getString("result"),
                rs.getInt("attempts"), rs.getInt("max_attempts"), rs.getString("message"), rs.getString("output"),
                instant(rs, "due_at"), instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"));
    }

    private static Instant instant(java.sql.ResultSet rs, String col) throws java.sql.SQLException {
        java.sql.Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }
}
