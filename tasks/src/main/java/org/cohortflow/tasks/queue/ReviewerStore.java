package org.cohortflow.tasks.queue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/** Reviewers (weight, activity, groups) and the load that weighted assignment balances. */
public final class ReviewerStore {

    /** All reviewers by name. */
    public List<Reviewer> list(Handle h) {
        Map<String, Set<String>> groups = new HashMap<>();
        h.createQuery("SELECT reviewer, group_name FROM reviewer_group")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> groups.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
        return h.createQuery("SELECT name, weight, active FROM reviewer ORDER BY name")
                .map((rs, ctx) -> new Reviewer(rs.getString("name"), rs.getDouble("weight"),
                        groups.getOrDefault(rs.getString("name"), Set.of()), rs.getBoolean("active")))
                .list();
    }

    /** One reviewer. */
    public Optional<Reviewer> find(Handle h, String name) {
        return list(h).stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** Creates or replaces a reviewer (their load is kept). */
    public void put(Handle h, Reviewer r) {
        int updated = h.createUpdate("UPDATE reviewer SET weight = :w, active = :a WHERE name = :n")
                .bind("w", r.weight()).bind("a", r.active()).bind("n", r.name()).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO reviewer (name, weight, active) VALUES (:n, :w, :a)")
                    .bind("w", r.weight()).bind("a", r.active()).bind("n", r.name()).execute();
        }
        h.createUpdate("DELETE FROM reviewer_group WHERE reviewer = :n").bind("n", r.name()).execute();
        for (String g : new TreeSet<>(r.groups())) {
            h.createUpdate("INSERT INTO reviewer_group (reviewer, group_name) VALUES (:n, :g)")
                    .bind("n", r.name()).bind("g", g).execute();
        }
    }

    /** Tasks given to each reviewer so far. */
    public Map<String, Long> loads(Handle h) {
        Map<String, Long> load = new LinkedHashMap<>();
        h.createQuery("SELECT name, assigned_count FROM reviewer ORDER BY name")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> load.put(e.getKey(), e.getValue()));
        return load;
    }

    /** Counts one more task for {@code name}. */
    public void countAssignment(Handle h, String name) {
        h.createUpdate("UPDATE reviewer SET assigned_count = assigned_count + 1 WHERE name = :n").bind("n", name).execute();
    }

    /** Groups and their members. */
    public Map<String, List<String>> groups(Handle h) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        h.createQuery("SELECT group_name, reviewer FROM reviewer_group ORDER BY group_name, reviewer")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
        return out;
    }
}
