package org.cohortflow.governance.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * Workflows in the database, versioned by name (loading a workflow with an existing name adds a version;
 * experiments keep the version they started with). Parsed workflows are cached by id: a stored version
 * never changes.
 */
public final class WorkflowStore {
    private final WorkflowParser parser;
    private final Map<Long, Workflow> cache = new ConcurrentHashMap<>();

    public WorkflowStore(WorkflowParser parser) {
        this.parser = parser;
    }

    /** A stored workflow version. */
    public record Stored(long id, String name, int version, Instant created, String createdBy) {}

    public WorkflowParser parser() {
        return parser;
    }

    /** Stores a checked workflow as the next version of its name. */
    public Stored save(Handle h, Workflow w, String by, Instant now) {
        int version = h.createQuery("SELECT COALESCE(MAX(version), 0) FROM workflow WHERE name = :n").bind("n", w.name())
                .mapTo(Integer.class).one() + 1;
        long id = h.createUpdate("INSERT INTO workflow (name, version, source, created_at, created_by) VALUES (:n, :v, :s, :c, :b)")
                .bind("n", w.name()).bind("v", version).bind("s", w.source()).bind("c", now).bind("b", by)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        cache.put(id, w);
        return new Stored(id, w.name(), version, now, by);
    }

    /** The workflow with this id, parsed once. */
    public Workflow load(Handle h, long id) {
        Workflow w = cache.get(id);
        if (w != null) {
            return w;
        }
        String source = h.createQuery("SELECT source FROM workflow WHERE id = :id").bind("id", id).mapTo(String.class)
                .findOne().orElseThrow(() -> new IllegalArgumentException("no workflow " + id));
        Workflow parsed = parser.parse(source, "workflow#" + id);
        cache.put(id, parsed);
        return parsed;
    }

    public Optional<Stored> find(Handle h, long id) {
        return h.createQuery("SELECT id, name, version, created_at, created_by FROM workflow WHERE id = :id").bind("id", id)
                .map((rs, c) -> stored(rs)).findOne();
    }

    /** The newest version of a workflow name. */
    public Optional<Stored> latest(Handle h, String name) {
        return h.createQuery("SELECT id, name, version, created_at, created_by FROM workflow WHERE name = :n ORDER BY version DESC LIMIT 1")
                .bind("n", name).map((rs, c) -> stored(rs)).findOne();
    }

    public List<Stored> list(Handle h) {
        return h.createQuery("SELECT id, name, version, created_at, created_by FROM workflow ORDER BY name, version")
                .map((rs, c) -> stored(rs)).list();
    }

    public Optional<String> source(Handle h, long id) {
        return h.createQuery("SELECT source FROM workflow WHERE id = :id").bind("id", id).mapTo(String.class).findOne();
    }

    private static Stored stored(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Stored(rs.getLong("id"), rs.getString("name"), rs.getInt("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"));
    }
}
