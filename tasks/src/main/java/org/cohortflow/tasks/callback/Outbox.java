package org.cohortflow.tasks.callback;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Callbacks waiting to be delivered, in the database: written in the same transaction as the finish that
 * causes them, so a crash can neither lose one nor create it twice (one row per task or group).
 */
public final class Outbox {

    /**
     * One callback.
     *
     * @param id          row id
     * @param kind        {@code task} or {@code group}
     * @param targetId    the task's or group's id
     * @param key         stable delivery key, sent as {@code Idempotency-Key}
     * @param url         where to PUT
     * @param secret      the creator's secret
     * @param body        JSON body
     * @param attempts    attempts so far
     * @param nextAttempt when to try next
     * @param lastError   what the last failed attempt got, or null
     * @param deliveredAt when it was acknowledged, or null
     */
    public record Callback(long id, String kind, long targetId, String key, String url, String secret, String body,
                           int attempts, Instant nextAttempt, String lastError, Instant deliveredAt) {
    }

    /** Queues a callback for delivery now; false when one for this target already exists. */
    public boolean enqueue(Handle h, String kind, long targetId, String url, String secret, String body, Instant now) {
        if (find(h, kind, targetId).isPresent()) return false;
        h.createUpdate("INSERT INTO callback (kind, target_id, delivery_key, url, secret, body, next_attempt_at, created_at) "
                        + "VALUES (:kind, :target, :key, :url, :secret, :body, :now, :now)")
                .bind("kind", kind).bind("target", targetId).bind("key", UUID.randomUUID().toString())
                .bind("url", url).bind("secret", secret).bind("body", body).bind("now", Timestamp.from(now)).execute();
        return true;
    }

    /** Callbacks due at {@code now}, oldest first. */
    public List<Callback> due(Handle h, Instant now, int limit) {
        return h.createQuery(SELECT + " WHERE delivered_at IS NULL AND next_attempt_at <= :now ORDER BY next_attempt_at, id LIMIT :limit")
                .bind("now", Timestamp.from(now)).bind("limit", limit).map((rs, ctx) -> row(rs)).list();
    }

    /** The callback for a task or group, if one was queued. */
    public Optional<Callback> find(Handle h, String kind, long targetId) {
        return h.createQuery(SELECT + " WHERE kind = :kind AND target_id = :target").bind("kind", kind)
                .bind("target", targetId).map((rs, ctx) -> row(rs)).findOne();
    }

    /** Records an acknowledged delivery; false when it was already recorded (nothing is done twice). */
    public boolean markDelivered(Handle h, long id, Instant now) {
        return h.createUpdate("UPDATE callback SET delivered_at = :now, attempts = attempts + 1, last_error = NULL "
                + "WHERE id = :id AND delivered_at IS NULL").bind("now", Timestamp.from(now)).bind("id", id).execute() == 1;
    }

    /** Records a failed attempt and when to try again. */
    public void markFailed(Handle h, long id, String error, Instant next) {
        h.createUpdate("UPDATE callback SET attempts = attempts + 1, last_error = :error, next_attempt_at = :next "
                        + "WHERE id = :id AND delivered_at IS NULL")
                .bind("error", error.length() > 1000 ? error.substring(0, 1000) : error)
                .bind("next", Timestamp.from(next)).bind("id", id).execute();
    }

    private static final String SELECT = "SELECT id, kind, target_id, delivery_key, url, secret, body, attempts, "
            + "next_attempt_at, last_error, delivered_at FROM callback";

    private static Callback row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp delivered = rs.getTimestamp("delivered_at");
        return new Callback(rs.getLong("id"), rs.getString("kind"), rs.getLong("target_id"), rs.getString("delivery_key"),
                rs.getString("url"), rs.getString("secret"), rs.getString("body"), rs.getInt("attempts"),
                rs.getTimestamp("next_attempt_at").toInstant(), rs.getString("last_error"),
                delivered == null ? null : delivered.toInstant());
    }
}
