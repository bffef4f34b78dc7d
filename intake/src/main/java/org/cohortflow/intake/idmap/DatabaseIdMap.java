package org.cohortflow.intake.idmap;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.cohortflow.intake.deidentify.IdMap;
import org.cohortflow.server.db.Database;
import org.jdbi.v3.core.Handle;

/**
 * The project's identity map in the service's database. A new patient's pseudonym is assigned in its own
 * transaction (the prefix and the next sequence number); the unique constraints make a second assignment
 * of the same patient impossible.
 */
public final class DatabaseIdMap implements IdMap {
    private final Database db;
    private final String prefix;
    private final Clock clock;

    public DatabaseIdMap(Database db, String prefix, Clock clock) {
        this.db = db;
        this.prefix = prefix;
        this.clock = clock;
    }

    @Override
    public synchronized String pseudonym(String originalPatientId) {
        return db.inTransaction(h -> find(h, originalPatientId).orElseGet(() -> {
            int seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM intake_id_map").mapTo(Integer.class).one();
            String p = String.format("%s%04d", prefix, seq);
            h.createUpdate("INSERT INTO intake_id_map (original_id, pseudonym, seq, created_at) VALUES (:o, :p, :s, :t)")
                    .bind("o", originalPatientId).bind("p", p).bind("s", seq)
                    .bind("t", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).execute();
            return p;
        }));
    }

    private static java.util.Optional<String> find(Handle h, String original) {
        return h.createQuery("SELECT pseudonym FROM intake_id_map WHERE original_id = :o").bind("o", original)
                .mapTo(String.class).findOne();
    }

    /** The whole map (original id -> pseudonym), in order of assignment: for admins only. */
    public static List<Map<String, Object>> export(Handle h) {
        return h.createQuery("SELECT original_id, pseudonym, created_at FROM intake_id_map ORDER BY seq")
                .map((rs, ctx) -> Map.<String, Object>of("original", rs.getString(1), "pseudonym", rs.getString(2),
                        "createdAt", rs.getObject(3, OffsetDateTime.class).toInstant().toString()))
                .list();
    }
}
