package org.cohortflow.intake.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.intake.IntakeSettings;
import org.cohortflow.intake.forward.Forwarder;
import org.cohortflow.intake.worker.Pipeline;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.db.Database;

/**
 * Tells the study governor about complete studies over its REST API: one experiment per study
 * ({@code POST /api/v1/experiments}: the pseudonym as subject, the StudyInstanceUID as label, one scan per
 * series where the archive or folder store holds it, labelled by the profile's {@code scans} rules or else by
 * its SeriesInstanceUID, with its modality; a series of one RTSTRUCT, SEG, SR, ... object is given as that
 * object, which is how pipelines read it). An experiment that already exists (409) counts as
 * notified, so a notification repeated after a kill changes nothing. Failures are retried every
 * {@link #RETRY}.
 */
public final class GovernorNotifier {
    /** How long after a failed notification the next attempt is made. */
    public static final Duration RETRY = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Modalities whose series is normally one object that pipelines read as a file (an RTSTRUCT source, a SEG):
     * such a series of one object is sent as that object's URL rather than the series'.
     */
    static final java.util.Set<String> ONE_OBJECT = java.util.Set.of("RTSTRUCT", "SEG", "SR", "RTPLAN", "RTDOSE", "KO", "PR");

    private final IntakeSettings.Governor governor;
    private final Database db;
    private final AuditLog audit;
    private final Forwarder forwarder;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Instant nextTry = Instant.EPOCH;

    public GovernorNotifier(IntakeSettings.Governor governor, Database db, AuditLog audit, Forwarder forwarder, Clock clock) {
        this.governor = governor;
        this.db = db;
        this.audit = audit;
        this.forwarder = forwarder;
        this.clock = clock;
    }

    /** Notifies the governor of every complete study it has not heard of yet. */
    public void notifyPending() {
        if (clock.instant().isBefore(nextTry)) {
            return;
        }
        List<Map<String, Object>> pending = db.withHandle(h -> h.createQuery(
                "SELECT study_uid, pseudonym FROM intake_study WHERE notified_at IS NULL ORDER BY completed_at").mapToMap().list());
        for (Map<String, Object> s : pending) {
            String study = (String) s.get("study_uid");
            String pseudonym = (String) s.get("pseudonym");
            String error = send(study, pseudonym);
            OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
            db.useTransaction(h -> {
                if (error == null) {
                    h.createUpdate("UPDATE intake_study SET notified_at = :t, notify_error = NULL WHERE study_uid = :s")
                            .bind("t", now).bind("s", study).execute();
                    audit.record(h, Pipeline.ACTOR, "study.notify", "study/" + study, "governor " + governor.url());
                } else {
                    h.createUpdate("UPDATE intake_study SET notify_error = :e WHERE study_uid = :s")
                            .bind("e", error.length() > 2000 ? error.substring(0, 2000) : error).bind("s", study).execute();
                }
            });
            if (error != null) {
                nextTry = clock.instant().plus(RETRY);
                return;
            }
        }
    }

    /**
     * A series' label in the experiment: its rule's label, the SeriesInstanceUID when no rule matched; when a
     * rule labels several series of a study, the first (in UID order) keeps the label and the next ones get
     * {@code LABEL-2}, {@code LABEL-3}, ... since labels are unique in an experiment.
     */
    static String label(String ruleLabel, String seriesUid, Map<String, Integer> labelled) {
        if (ruleLabel == null) {
            return seriesUid;
        }
        int n = labelled.merge(ruleLabel, 1, Integer::sum);
        return n == 1 ? ruleLabel : ruleLabel + "-" + n;
    }

    private String send(String study, String pseudonym) {
        try {
            List<Map<String, Object>> series = db.withHandle(h -> h.createQuery("SELECT series_uid, MIN(modality) AS modality,"
                            + " MIN(scan_label) AS scan_label, COUNT(*) AS objects, MIN(sop_uid) AS sop_uid FROM intake_object"
                            + " WHERE study_uid = :s AND state = 'FORWARDED' GROUP BY series_uid ORDER BY series_uid")
                    .bind("s", study).mapToMap().list());
            List<Map<String, Object>> scans = new ArrayList<>();
            Map<String, Integer> labelled = new HashMap<>();
            for (Map<String, Object> se : series) {
                String uid = (String) se.get("series_uid");
                boolean oneObject = ((Number) se.get("objects")).intValue() == 1 && ONE_OBJECT.contains(se.get("modality"));
                Forwarder.Scan scan = oneObject ? forwarder.object(pseudonym, study, uid, (String) se.get("sop_uid"))
                        : forwarder.scan(pseudonym, study, uid);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("label", label((String) se.get("scan_label"), uid, labelled));
                m.put("modality", se.get("modality") == null ? "OT" : se.get("modality"));
                m.put("kind", scan.kind());
                m.put("url", scan.url());
                scans.add(m);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("study", governor.study());
            body.put("subject", pseudonym);
            body.put("label", study);
            body.put("scans", scans);
            URI url = URI.create(governor.url().toString().replaceAll("/+$", "") + "/api/v1/experiments");
            HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + governor.token()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2 || r.statusCode() == 409) {
                return null;
            }
            return "governor answered " + r.statusCode() + ": " + r.body();
        } catch (java.io.IOException e) {
            return "governor unreachable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
