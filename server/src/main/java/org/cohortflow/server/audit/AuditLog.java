package org.cohortflow.server.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The append-only audit log. Entries are written with the handle of the transaction that makes the
 * change, so a change and its audit entry commit or roll back together.
 */
public final class AuditLog {
    private final Clock clock;

    public AuditLog(Clock clock) {
        this.clock = clock;
    }

    /** Appends an entry inside the caller's transaction. */
    public AuditEntry record(Handle h, String actor, String action, String target, String details) {
        Instant now = clock.instant();
        long id = h.createUpdate("INSERT INTO audit_log (at, actor, action, target, details) VALUES (:at, :actor, :action, :target, :details)")
                .bind("at", now).bind("actor", actor).bind("action", action).bind("target", target)
                .bind("details", details)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new AuditEntry(id, now, actor, action, target, details);
    }

    /**
     * Entries newest first, optionally only those whose target starts with {@code targetPrefix}.
     *
     * @param targetPrefix e.g. {@code experiment/42}, or {@code null} for all
     */
    public List<AuditEntry> list(Handle h, String targetPrefix, int limit, int offset) {
        String where = targetPrefix == null ? "" : " WHERE target = :t OR target LIKE :tp";
        var q = h.createQuery("SELECT id, at, actor, action, target, details FROM audit_log" + where
                        + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset);
        if (targetPrefix != null) {
            q.bind("t", targetPrefix).bind("tp", targetPrefix.replace("%", "\\%").replace("_", "\\_") + "/%");
        }
        return q.map((rs, ctx) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
                rs.getString("actor"), rs.getString("action"), rs.getString("target"), rs.getString("details"))).list();
    }
}
