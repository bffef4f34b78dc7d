package org.cohortflow.governance.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Experiments, their scans, variables and actions; methods run in the caller's transaction. */
public final class ExperimentStore {
    private static final String SELECT = "SELECT e.*, s.label AS subject_label, st.name AS study_name FROM experiment e"
            + " JOIN subject s ON s.id = e.subject_id JOIN study st ON st.id = s.study_id";

    /** Filters for listing experiments; {@code null} fields do not filter. */
    public record Filter(String study, String state, String subject, int limit, int offset) {}

    public long create(Handle h, long subjectId, String label, long workflowId, String state, Map<String, String> externalIds, Instant now) {
        return h.createUpdate("INSERT INTO experiment (subject_id, label, workflow_id, state, entered_at, external_ids, created_at)"
                        + " VALUES (:s, :l, :w, :st, :now, :e, :now)")
                .bind("s", subjectId).bind("l", label).bind("w", workflowId).bind("st", state).bind("now", now)
                .bind("e", JsonText.write(externalIds))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public Optional<Experiment> find(Handle h, long id) {
        return h.createQuery(SELECT + " WHERE e.id = :id").bind("id", id).map((rs, c) -> experiment(rs)).findOne();
    }

    /** Locks the experiment's row until the transaction ends: every state change of one experiment is serial. */
    public Optional<Experiment> lock(Handle h, long id) {
        Optional<Long> locked = h.createQuery("SELECT id FROM experiment WHERE id = :id FOR UPDATE").bind("id", id)
                .mapTo(Long.class).findOne();
        return locked.isEmpty() ? Optional.empty() : find(h, id);
    }

    public Optional<Experiment> byLabel(Handle h, long subjectId, String label) {
        return h.createQuery(SELECT + " WHERE e.subject_id = :s AND e.label = :l").bind("s", subjectId).bind("l", label)
                .map((rs, c) -> experiment(rs)).findOne();
    }

    public List<Experiment> list(Handle h, Filter f) {
        StringBuilder sql = new StringBuilder(SELECT + " WHERE 1 = 1");
        if (f.study() != null) {
            sql.append(" AND st.name = :study");
        }
        if (f.state() != null) {
            sql.append(" AND e.state = :state");
        }
        if (f.subject() != null) {
            sql.append(" AND s.label = :subject");
        }
        sql.append(" ORDER BY e.id LIMIT :l OFFSET :o");
        var q = h.createQuery(sql.toString()).bind("l", f.limit()).bind("o", f.offset());
        if (f.study() != null) {
            q.bind("study", f.study());
        }
        if (f.state() != null) {
            q.bind("state", f.state());
        }
        if (f.subject() != null) {
            q.bind("subject", f.subject());
        }
        return q.map((rs, c) -> experiment(rs)).list();
    }

    /** Number of experiments per state in a study, in no particular order. */
    public Map<String, Long> countByState(Handle h, long studyId) {
        Map<String, Long> out = new LinkedHashMap<>();
        h.createQuery("SELECT e.state, COUNT(*) AS n FROM experiment e JOIN subject s ON s.id = e.subject_id"
                        + " WHERE s.study_id = :s GROUP BY e.state ORDER BY e.state")
                .bind("s", studyId).map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Records a change of state and moves the experiment there; returns the action's id. */
    public long recordAction(Handle h, long experimentId, String from, String to, String kind, String actor, String reason, Instant now) {
        long action = h.createUpdate("INSERT INTO action (experiment_id, from_state, to_state, kind, actor, reason, at)"
                        + " VALUES (:e, :f, :t, :k, :a, :r, :now)")
                .bind("e", experimentId).bind("f", from).bind("t", to).bind("k", kind).bind("a", actor).bind("r", reason)
                .bind("now", now).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        h.createUpdate("UPDATE experiment SET state = :t, entry_action_id = :a, entered_at = :now WHERE id = :e")
                .bind("t", to).bind("a", action).bind("now", now).bind("e", experimentId).execute();
        return action;
    }

    public List<Action> actions(Handle h, long experimentId) {
        return h.createQuery("SELECT * FROM action WHERE experiment_id = :e ORDER BY id").bind("e", experimentId)
                .map((rs, c) -> new Action(rs.getLong("id"), rs.getLong("experiment_id"), rs.getString("from_state"),
                        rs.getString("to_state"), rs.getString("kind"), rs.getString("actor"), rs.getString("reason"),
                        rs.getTimestamp("at").toInstant())).list();
    }

    public Scan addScan(Handle h, long experimentId, String label, String modality, String kind, String url, Instant now) {
        long id = h.createUpdate("INSERT INTO scan (experiment_id, label, modality, kind, url, created_at) VALUES (:e, :l, :m, :k, :u, :now)")
                .bind("e", experimentId).bind("l", label).bind("m", modality).bind("k", kind).bind("u", url).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new Scan(id, experimentId, label, modality, kind, url, now);
    }

    /**
     * Adds a scan to an existing experiment during its current state entry {@code entryActionId}; when the
     * experiment has a scan with that label, that one moves to {@code superseded_scan} (replaced by the new one).
     */
    public Scan addOrSupersedeScan(Handle h, long experimentId, long entryActionId, String label, String modality, String kind,
                                   String url, Instant now) {
        Optional<Scan> old = scan(h, experimentId, label);
        old.ifPresent(o -> h.createUpdate("DELETE FROM scan WHERE id = :id").bind("id", o.id()).execute());
        long id = h.createUpdate("INSERT INTO scan (experiment_id, label, modality, kind, url, created_at, entry_action_id)"
                        + " VALUES (:e, :l, :m, :k, :u, :now, :a)")
                .bind("e", experimentId).bind("l", label).bind("m", modality).bind("k", kind).bind("u", url).bind("now", now)
                .bind("a", entryActionId).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        old.ifPresent(o -> h.createUpdate("INSERT INTO superseded_scan (id, experiment_id, label, modality, kind, url, created_at,"
                        + " superseded_at, replaced_by) VALUES (:id, :e, :l, :m, :k, :u, :c, :now, :by)")
                .bind("id", o.id()).bind("e", experimentId).bind("l", o.label()).bind("m", o.modality()).bind("k", o.kind())
                .bind("u", o.url()).bind("c", o.created()).bind("now", now).bind("by", id).execute());
        return new Scan(id, experimentId, label, modality, kind, url, now);
    }

    /** The current scan with this label, if any. */
    public Optional<Scan> scan(Handle h, long experimentId, String label) {
        return h.createQuery("SELECT * FROM scan WHERE experiment_id = :e AND label = :l").bind("e", experimentId).bind("l", label)
                .map((rs, c) -> scan(rs)).findOne();
    }

    /** The current scans added to the experiment during the state entry {@code entryActionId} (not at creation). */
    public List<Scan> scansAddedIn(Handle h, long experimentId, long entryActionId) {
        return h.createQuery("SELECT * FROM scan WHERE experiment_id = :e AND entry_action_id = :a ORDER BY id")
                .bind("e", experimentId).bind("a", entryActionId).map((rs, c) -> scan(rs)).list();
    }

    /** Scans that were replaced by a newer one with the same label, oldest first. */
    public List<SupersededScan> supersededScans(Handle h, long experimentId) {
        return h.createQuery("SELECT * FROM superseded_scan WHERE experiment_id = :e ORDER BY superseded_at, id").bind("e", experimentId)
                .map((rs, c) -> new SupersededScan(scan(rs), rs.getTimestamp("superseded_at").toInstant(), rs.getLong("replaced_by")))
                .list();
    }

    private static Scan scan(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Scan(rs.getLong("id"), rs.getLong("experiment_id"), rs.getString("label"), rs.getString("modality"),
                rs.getString("kind"), rs.getString("url"), rs.getTimestamp("created_at").toInstant());
    }

    public List<Scan> scans(Handle h, long experimentId) {
        return h.createQuery("SELECT * FROM scan WHERE experiment_id = :e ORDER BY id").bind("e", experimentId)
                .map((rs, c) -> scan(rs)).list();
    }

    /** Sets (inserts or replaces) a variable; {@code value} is JSON-able. */
    public void setVariable(Handle h, long experimentId, String name, String type, Object value, String by, Instant now) {
        int n = h.createUpdate("UPDATE variable SET type = :t, value_json = :v, updated_at = :now, updated_by = :b WHERE experiment_id = :e AND name = :n")
                .bind("t", type).bind("v", JsonText.write(value)).bind("now", now).bind("b", by).bind("e", experimentId).bind("n", name)
                .execute();
        if (n == 0) {
            h.createUpdate("INSERT INTO variable (experiment_id, name, type, value_json, updated_at, updated_by) VALUES (:e, :n, :t, :v, :now, :b)")
                    .bind("t", type).bind("v", JsonText.write(value)).bind("now", now).bind("b", by).bind("e", experimentId).bind("n", name)
                    .execute();
        }
    }

    /** Variables by name, values as read from JSON (integers as Long). */
    public Map<String, Object> variables(Handle h, long experimentId) {
        Map<String, Object> out = new LinkedHashMap<>();
        h.createQuery("SELECT name, value_json FROM variable WHERE experiment_id = :e ORDER BY name").bind("e", experimentId)
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), JsonText.read(e.getValue())));
        return out;
    }

    private static Experiment experiment(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Experiment(rs.getLong("id"), rs.getString("study_name"), rs.getString("subject_label"), rs.getLong("subject_id"),
                rs.getString("label"), rs.getLong("workflow_id"), rs.getString("state"), rs.getLong("entry_action_id"),
                rs.getTimestamp("entered_at").toInstant(), JsonText.stringMap(rs.getString("external_ids")),
                rs.getTimestamp("created_at").toInstant());
    }
}
