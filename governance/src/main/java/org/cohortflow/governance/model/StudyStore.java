package org.cohortflow.governance.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Studies and subjects in the database; methods run in the caller's transaction. */
public final class StudyStore {

    public Study createStudy(Handle h, String name, String description, Long workflowId, Instant now) {
        long id = h.createUpdate("INSERT INTO study (name, description, workflow_id, created_at) VALUES (:n, :d, :w, :c)")
                .bind("n", name).bind("d", description).bind("w", workflowId).bind("c", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new Study(id, name, description, workflowId, now);
    }

    public Optional<Study> study(Handle h, long id) {
        return h.createQuery("SELECT * FROM study WHERE id = :id").bind("id", id).map((rs, c) -> study(rs)).findOne();
    }

    public Optional<Study> studyByName(Handle h, String name) {
        return h.createQuery("SELECT * FROM study WHERE name = :n").bind("n", name).map((rs, c) -> study(rs)).findOne();
    }

    public List<Study> studies(Handle h, int limit, int offset) {
        return h.createQuery("SELECT * FROM study ORDER BY name LIMIT :l OFFSET :o").bind("l", limit).bind("o", offset)
                .map((rs, c) -> study(rs)).list();
    }

    public void setWorkflow(Handle h, long studyId, long workflowId) {
        h.createUpdate("UPDATE study SET workflow_id = :w WHERE id = :id").bind("w", workflowId).bind("id", studyId).execute();
    }

    public Subject createSubject(Handle h, long studyId, String label, Map<String, String> externalIds, Instant now) {
        long id = h.createUpdate("INSERT INTO subject (study_id, label, external_ids, created_at) VALUES (:s, :l, :e, :c)")
                .bind("s", studyId).bind("l", label).bind("e", JsonText.write(externalIds)).bind("c", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new Subject(id, studyId, label, externalIds, now);
    }

    public Optional<Subject> subject(Handle h, long studyId, String label) {
        return h.createQuery("SELECT * FROM subject WHERE study_id = :s AND label = :l").bind("s", studyId).bind("l", label)
                .map((rs, c) -> subject(rs)).findOne();
    }

    public List<Subject> subjects(Handle h, long studyId, int limit, int offset) {
        return h.createQuery("SELECT * FROM subject WHERE study_id = :s ORDER BY label LIMIT :l OFFSET :o")
                .bind("s", studyId).bind("l", limit).bind("o", offset).map((rs, c) -> subject(rs)).list();
    }

    private static Study study(java.sql.ResultSet rs) throws java.sql.SQLException {
        long w = rs.getLong("workflow_id");
        return new Study(rs.getLong("id"), rs.getString("name"), rs.getString("description"), rs.wasNull() ? null : w,
                rs.getTimestamp("created_at").toInstant());
    }

    private static Subject subject(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Subject(rs.getLong("id"), rs.getLong("study_id"), rs.getString("label"),
                JsonText.stringMap(rs.getString("external_ids")), rs.getTimestamp("created_at").toInstant());
    }
}
