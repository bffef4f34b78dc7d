package org.cohortflow.intake.tracking;

import org.cohortflow.intake.worker.Pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.db.Database;

/**
 * Finds studies that are complete: every object of the study settled (forwarded or quarantined), nothing
 * waiting in the queue, and no news for the quiet period. Each is recorded once in {@code intake_study}; a
 * recorded study that has news and is quiet again is marked complete again (and not notified).
 */
public final class StudyTracker {
    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration quiet;

    public StudyTracker(Database db, AuditLog audit, Clock clock, Duration quiet) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.quiet = quiet;
    }

    /** Records the studies that became complete. */
    public void check() {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        OffsetDateTime cutoff = now.minus(quiet);
        db.useTransaction(h -> {
            int waiting = h.createQuery("SELECT COUNT(*) FROM intake_object WHERE state IN ('RECEIVED', 'DEIDENTIFIED')")
                    .mapTo(Integer.class).one();
            if (waiting > 0) {
                return;
            }
            List<Map<String, Object>> done = h.createQuery("SELECT study_uid, MIN(pseudonym) AS pseudonym, COUNT(*) AS n"
                            + " FROM intake_object o WHERE study_uid IS NOT NULL AND NOT EXISTS"
                            + " (SELECT 1 FROM intake_study s WHERE s.study_uid = o.study_uid)"
                            + " GROUP BY study_uid HAVING MAX(updated_at) < :cutoff")
                    .bind("cutoff", cutoff).mapToMap().list();
            for (Map<String, Object> s : done) {
                String study = (String) s.get("study_uid");
                h.createUpdate("INSERT INTO intake_study (study_uid, pseudonym, completed_at, objects) VALUES (:s, :p, :t, :n)")
                        .bind("s", study).bind("p", (String) s.get("pseudonym")).bind("t", now)
                        .bind("n", ((Number) s.get("n")).intValue()).execute();
                audit.record(h, Pipeline.ACTOR, "study.complete", "study/" + study, s.get("n") + " objects");
            }
            // A study that had news after it was found complete (the centre sent a corrected RTSTRUCT, or resent
            // objects) and is quiet again is complete again: the governor is told about its series once more
            // (GovernorNotifier posts only the series it has not reported yet).
            List<Map<String, Object>> again = h.createQuery("SELECT o.study_uid, COUNT(*) AS n FROM intake_object o"
                            + " JOIN intake_study s ON s.study_uid = o.study_uid"
                            + " GROUP BY o.study_uid, s.completed_at HAVING MAX(o.updated_at) > s.completed_at AND MAX(o.updated_at) < :cutoff")
                    .bind("cutoff", cutoff).mapToMap().list();
            for (Map<String, Object> s : again) {
                String study = (String) s.get("study_uid");
                h.createUpdate("UPDATE intake_study SET completed_at = :t, objects = :n, notified_at = NULL WHERE study_uid = :s")
                        .bind("s", study).bind("t", now).bind("n", ((Number) s.get("n")).intValue()).execute();
                audit.record(h, Pipeline.ACTOR, "study.complete", "study/" + study, s.get("n") + " objects (complete again after news)");
            }
        });
    }
}
