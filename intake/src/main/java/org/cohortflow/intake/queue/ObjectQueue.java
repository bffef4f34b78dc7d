package org.cohortflow.intake.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The intake's durable queue: one row per received object and its state. Every method works inside the
 * caller's handle, so each state change is one transaction together with whatever else belongs to it.
 */
public final class ObjectQueue {
    private static final String COLUMNS = "id, spool_name, source, sender, state, released, reason, detail, bytes,"
            + " modality, pseudonym, study_uid, series_uid, sop_uid, attempts, next_attempt_at, last_error, received_at,"
            + " updated_at";
    private static final RowMapper<IntakeObject> MAPPER = (rs, ctx) -> new IntakeObject(rs.getLong("id"),
            rs.getString("spool_name"), rs.getString("source"), rs.getString("sender"),
            ObjectState.valueOf(rs.getString("state")), rs.getBoolean("released"), rs.getString("reason"),
            rs.getString("detail"), rs.getLong("bytes"), rs.getString("modality"), rs.getString("pseudonym"),
            rs.getString("study_uid"), rs.getString("series_uid"), rs.getString("sop_uid"), rs.getInt("attempts"),
            instant(rs.getObject("next_attempt_at", OffsetDateTime.class)), rs.getString("last_error"),
            instant(rs.getObject("received_at", OffsetDateTime.class)),
            instant(rs.getObject("updated_at", OffsetDateTime.class)));

    private final Clock clock;

    public ObjectQueue(Clock clock) {
        this.clock = clock;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** Records a newly spooled object as received; false when the spool file is already known. */
    public boolean add(Handle h, String spoolName, String source, String sender, long bytes) {
        if (h.createQuery("SELECT COUNT(*) FROM intake_object WHERE spool_name = :n").bind("n", spoolName)
                .mapTo(Integer.class).one() > 0) {
            return false;
        }
        OffsetDateTime now = now();
        h.createUpdate("INSERT INTO intake_object (spool_name, source, sender, state, bytes, next_attempt_at, received_at,"
                        + " updated_at) VALUES (:n, :source, :sender, 'RECEIVED', :bytes, :now, :now, :now)")
                .bind("n", spoolName).bind("source", source).bind("sender", sender).bind("bytes", bytes).bind("now", now)
                .execute();
        return true;
    }

    /** Objects waiting for work (received or de-identified) whose next attempt is due, oldest first. */
    public List<IntakeObject> due(Handle h, int limit) {
        return h.createQuery("SELECT " + COLUMNS + " FROM intake_object WHERE state IN ('RECEIVED', 'DEIDENTIFIED')"
                        + " AND next_attempt_at <= :now ORDER BY id FETCH FIRST " + limit + " ROWS ONLY")
                .bind("now", now()).map(MAPPER).list();
    }

    /** The soonest next attempt of any waiting object. */
    public Optional<Instant> nextDue(Handle h) {
        return h.createQuery("SELECT MIN(next_attempt_at) FROM intake_object WHERE state IN ('RECEIVED', 'DEIDENTIFIED')")
                .map((rs, ctx) -> instant(rs.getObject(1, OffsetDateTime.class))).findOne();
    }

    public Optional<IntakeObject> get(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM intake_object WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    /** Objects in one state, newest first. */
    public List<IntakeObject> inState(Handle h, ObjectState state, int limit, int offset) {
        return h.createQuery("SELECT " + COLUMNS + " FROM intake_object WHERE state = :s ORDER BY id DESC"
                        + " OFFSET " + offset + " ROWS FETCH FIRST " + limit + " ROWS ONLY")
                .bind("s", state.name()).map(MAPPER).list();
    }

    /** Marks an object de-identified with its new identity and its series' scan label (null: none). */
    public void deidentified(Handle h, long id, String modality, String scanLabel, String pseudonym, String study,
                             String series, String sop) {
        h.createUpdate("UPDATE intake_object SET state = 'DEIDENTIFIED', modality = :m, scan_label = :l, pseudonym = :p, study_uid = :st,"
                        + " series_uid = :se, sop_uid = :sop, attempts = 0, last_error = NULL, next_attempt_at = :now,"
                        + " updated_at = :now WHERE id = :id")
                .bind("m", modality).bind("l", scanLabel).bind("p", pseudonym).bind("st", study).bind("se", series).bind("sop", sop)
                .bind("now", now()).bind("id", id).execute();
    }

    /** Marks an object forwarded. */
    public void forwarded(Handle h, long id) {
        h.createUpdate("UPDATE intake_object SET state = 'FORWARDED', last_error = NULL, updated_at = :now WHERE id = :id")
                .bind("now", now()).bind("id", id).execute();
    }

    /** Puts an object in quarantine with the reason. */
    public void quarantine(Handle h, long id, String reason, String detail) {
        h.createUpdate("UPDATE intake_object SET state = 'QUARANTINED', reason = :r, detail = :d, updated_at = :now"
                        + " WHERE id = :id")
                .bind("r", reason).bind("d", clip(detail)).bind("now", now()).bind("id", id).execute();
    }

    /** Records a failed attempt; the next one is due after {@code backoff}. */
    public void failed(Handle h, long id, String error, Duration backoff) {
        OffsetDateTime now = now();
        h.createUpdate("UPDATE intake_object SET attempts = attempts + 1, last_error = :e, next_attempt_at = :next,"
                        + " updated_at = :now WHERE id = :id")
                .bind("e", clip(error)).bind("next", now.plus(backoff)).bind("now", now).bind("id", id).execute();
    }

    /** Sends a quarantined object back to de-identification, past the filters; false when it is not quarantined. */
    public boolean release(Handle h, long id) {
        return h.createUpdate("UPDATE intake_object SET state = 'RECEIVED', released = TRUE, attempts = 0,"
                        + " next_attempt_at = :now, updated_at = :now WHERE id = :id AND state = 'QUARANTINED'")
                .bind("now", now()).bind("id", id).execute() == 1;
    }

    /** Marks a quarantined object deleted; false when it is not quarantined. */
    public boolean delete(Handle h, long id) {
        return h.createUpdate("UPDATE intake_object SET state = 'DELETED', updated_at = :now WHERE id = :id"
                        + " AND state = 'QUARANTINED'").bind("now", now()).bind("id", id).execute() == 1;
    }

    /** How many objects are in each state. */
    public Map<ObjectState, Long> counts(Handle h) {
        Map<ObjectState, Long> out = new LinkedHashMap<>();
        for (ObjectState s : ObjectState.values()) {
            out.put(s, 0L);
        }
        h.createQuery("SELECT state, COUNT(*) AS n FROM intake_object GROUP BY state")
                .map((rs, ctx) -> Map.entry(ObjectState.valueOf(rs.getString("state")), rs.getLong("n")))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static String clip(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }
}
