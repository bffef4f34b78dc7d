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
 * notified, so a notification repeated after a kill changes nothing. A study reported before that is complete
 * again with new series (a corrected RTSTRUCT) gets only those series, posted to its experiment's
 * {@code POST /api/v1/experiments/{id}/scans}: a label it has supersedes the old scan, and the same scans sent
 * twice change nothing there. The series reported are kept in {@code intake_reported_series}. Failures are
 * retried every {@link #RETRY}.
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

    /** Notifies the governor of every complete study it has not heard of yet (or not of all its series). */
    public void notifyPending() {
        if (clock.instant().isBefore(nextTry)) {
            return;
        }
        List<Map<String, Object>> pending = db.withHandle(h -> h.createQuery(
                "SELECT study_uid, pseudonym FROM intake_study WHERE notified_at IS NULL ORDER BY completed_at").mapToMap().list());
        for (Map<String, Object> s : pending) {
            String study = (String) s.get("study_uid");
            String pseudonym = (String) s.get("pseudonym");
            Sent sent = send(study, pseudonym);
            OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
            db.useTransaction(h -> {
                if (sent.error() == null) {
                    h.createUpdate("UPDATE intake_study SET notified_at = :t, notify_error = NULL WHERE study_uid = :s")
                            .bind("t", now).bind("s", study).execute();
                    for (String series : sent.series()) {
                        h.createUpdate("INSERT INTO intake_reported_series (study_uid, series_uid, reported_at) VALUES (:s, :se, :t)")
                                .bind("s", study).bind("se", series).bind("t", now).execute();
                    }
                    audit.record(h, Pipeline.ACTOR, "study.notify", "study/" + study, "governor " + governor.url() + ": " + sent.what());
                } else {
                    h.createUpdate("UPDATE intake_study SET notify_error = :e WHERE study_uid = :s")
                            .bind("e", sent.error().length() > 2000 ? sent.error().substring(0, 2000) : sent.error()).bind("s", study).execute();
                }
            });
            if (sent.error() != null) {
                nextTry = clock.instant().plus(RETRY);
                return;
            }
        }
    }

    /** The outcome of one notification: an error (retried later), or the series now reported and what was done. */
    private record Sent(String error, List<String> series, String what) {
        static Sent failed(String error) {
            return new Sent(error, List.of(), null);
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

    private Sent send(String study, String pseudonym) {
        try {
            List<Map<String, Object>> series = db.withHandle(h -> h.createQuery("SELECT series_uid, MIN(modality) AS modality,"
                            + " MIN(scan_label) AS scan_label, COUNT(*) AS objects, MIN(sop_uid) AS sop_uid FROM intake_object"
                            + " WHERE study_uid = :s AND state = 'FORWARDED' GROUP BY series_uid ORDER BY series_uid")
                    .bind("s", study).mapToMap().list());
            java.util.Set<String> reported = new java.util.HashSet<>(db.withHandle(h -> h.createQuery(
                    "SELECT series_uid FROM intake_reported_series WHERE study_uid = :s").bind("s", study).mapTo(String.class).list()));
            // Series the governor has not heard of; the first report of a study has them all. Labels are given among
            // these only, so a corrected RTSTRUCT is 'rtstruct' again and supersedes the experiment's old one.
            List<Map<String, Object>> fresh = series.stream().filter(se -> !reported.contains((String) se.get("series_uid"))).toList();
            List<String> uids = fresh.stream().map(se -> (String) se.get("series_uid")).toList();
            if (fresh.isEmpty()) {
                return new Sent(null, List.of(), "no new series");
            }
            List<Map<String, Object>> scans = new ArrayList<>();
            Map<String, Integer> labelled = new HashMap<>();
            for (Map<String, Object> se : fresh) {
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
            String labels = scans.stream().map(m -> (String) m.get("label")).toList().toString();
            if (reported.isEmpty()) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("study", governor.study());
                body.put("subject", pseudonym);
                body.put("label", study);
                body.put("scans", scans);
                HttpResponse<String> r = post("/api/v1/experiments", body);
                if (r.statusCode() / 100 == 2 || r.statusCode() == 409) {
                    // 409: made by an earlier attempt whose answer a kill -9 lost
                    return new Sent(null, uids, "experiment with scans " + labels);
                }
                return Sent.failed("governor answered " + r.statusCode() + ": " + r.body());
            }
            Long experiment = experimentId(study, pseudonym);
            if (experiment == null) {
                return Sent.failed("the governor has no experiment '" + study + "' of subject '" + pseudonym + "' in study '"
                        + governor.study() + "' to add series to");
            }
            HttpResponse<String> r = post("/api/v1/experiments/" + experiment + "/scans",
                    Map.of("scans", scans, "reason", "new series of the study from the intake"));
            if (r.statusCode() / 100 == 2) {
                return new Sent(null, uids, "scans " + labels + " added to experiment " + experiment);
            }
            return Sent.failed("governor answered " + r.statusCode() + ": " + r.body());
        } catch (java.io.IOException e) {
            return Sent.failed("governor unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Sent.failed("interrupted");
        }
    }

    private HttpResponse<String> post(String path, Object body) throws java.io.IOException, InterruptedException {
        URI url = URI.create(base() + path);
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + governor.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** The id of the study's experiment at the governor (subject = pseudonym, label = StudyInstanceUID), or null. */
    private Long experimentId(String study, String pseudonym) throws java.io.IOException, InterruptedException {
        String q = "?study=" + enc(governor.study()) + "&subject=" + enc(pseudonym) + "&limit=1000";
        HttpRequest req = HttpRequest.newBuilder(URI.create(base() + "/api/v1/experiments" + q)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + governor.token()).GET().build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new java.io.IOException("listing experiments: governor answered " + r.statusCode() + ": " + r.body());
        }
        for (var e : JSON.readTree(r.body())) {
            if (study.equals(e.path("label").asText())) {
                return e.path("id").asLong();
            }
        }
        return null;
    }

    private String base() {
        return governor.url().toString().replaceAll("/+$", "");
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
