package org.cohortflow.tasks.template;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * Templates as stored: their source text, re-read through {@link TemplateParser} (and kept parsed per
 * revision, since compiling a JSON Schema on every request would be wasteful).
 */
public final class TemplateStore {
    private final TemplateParser parser = new TemplateParser();
    private final Map<String, StoredTemplate> parsed = new ConcurrentHashMap<>();

    /**
     * A stored template.
     *
     * @param template  the template
     * @param revision  1 for the first upload, +1 for each replacement
     * @param updatedBy who uploaded this revision
     * @param updatedAt when
     */
    public record StoredTemplate(TaskTemplate template, int revision, String updatedBy, Instant updatedAt) {
    }

    /** Stores {@code t}, replacing an earlier one of the same name; returns its revision. */
    public int put(Handle h, TaskTemplate t, String by, Instant now) {
        Optional<Integer> current = h.createQuery("SELECT revision FROM task_template WHERE name = :n FOR UPDATE")
                .bind("n", t.name()).mapTo(Integer.class).findOne();
        int revision = current.map(r -> r + 1).orElse(1);
        String sql = current.isPresent()
                ? "UPDATE task_template SET version = :v, revision = :r, source = :s, updated_by = :by, updated_at = :now WHERE name = :n"
                : "INSERT INTO task_template (name, version, revision, source, updated_by, updated_at) VALUES (:n, :v, :r, :s, :by, :now)";
        h.createUpdate(sql).bind("n", t.name()).bind("v", t.version()).bind("r", revision).bind("s", t.source())
                .bind("by", by).bind("now", Timestamp.from(now)).execute();
        return revision;
    }

    /** The template, if it exists. */
    public Optional<StoredTemplate> find(Handle h, String name) {
        return h.createQuery("SELECT name, revision, source, updated_by, updated_at FROM task_template WHERE name = :n")
                .bind("n", name)
                .map((rs, ctx) -> parsed(rs.getString("name"), rs.getInt("revision"), rs.getString("source"),
                        rs.getString("updated_by"), rs.getTimestamp("updated_at").toInstant()))
                .findOne();
    }

    /** All templates by name. */
    public List<StoredTemplate> list(Handle h) {
        return h.createQuery("SELECT name, revision, source, updated_by, updated_at FROM task_template ORDER BY name")
                .map((rs, ctx) -> parsed(rs.getString("name"), rs.getInt("revision"), rs.getString("source"),
                        rs.getString("updated_by"), rs.getTimestamp("updated_at").toInstant()))
                .list();
    }

    private StoredTemplate parsed(String name, int revision, String source, String by, Instant at) {
        StoredTemplate cached = parsed.get(name);
        if (cached != null && cached.revision() == revision) return cached;
        StoredTemplate fresh = new StoredTemplate(parser.parse(source, "template " + name), revision, by, at);
        parsed.put(name, fresh);
        return fresh;
    }
}
