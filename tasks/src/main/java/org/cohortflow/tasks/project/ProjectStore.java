package org.cohortflow.tasks.project;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Projects: the studies tasks belong to. */
public final class ProjectStore {

    /**
     * A project.
     *
     * @param name        unique name
     * @param description free text
     * @param createdBy   who created it
     * @param createdAt   when
     */
    public record Project(String name, String description, String createdBy, Instant createdAt) {
    }

    /** Creates a project; false when the name is taken. */
    public boolean insert(Handle h, String name, String description, String by, Instant now) {
        if (find(h, name).isPresent()) return false;
        h.createUpdate("INSERT INTO project (name, description, created_by, created_at) VALUES (:n, :d, :by, :now)")
                .bind("n", name).bind("d", description).bind("by", by).bind("now", Timestamp.from(now)).execute();
        return true;
    }

    /** The project, if it exists. */
    public Optional<Project> find(Handle h, String name) {
        return h.createQuery("SELECT name, description, created_by, created_at FROM project WHERE name = :n").bind("n", name)
                .map((rs, ctx) -> new Project(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
                .findOne();
    }

    /** All projects by name. */
    public List<Project> list(Handle h) {
        return h.createQuery("SELECT name, description, created_by, created_at FROM project ORDER BY name")
                .map((rs, ctx) -> new Project(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
                .list();
    }
}
