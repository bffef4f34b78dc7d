package org.cohortflow.dsl.yaml;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the keys of one YAML mapping, reporting unknown keys, missing required keys and wrong kinds of
 * value as located problems instead of failing on the first.
 */
public final class Fields {
    private final YamlNode.Mapping mapping;
    private final Problems problems;
    private final String what;

    private Fields(YamlNode.Mapping mapping, Problems problems, String what) {
        this.mapping = mapping;
        this.problems = problems;
        this.what = what;
    }

    /**
     * Starts reading {@code node} as a mapping describing {@code what} (e.g. "tool", "input 'x'"), with
     * only the {@code allowed} keys. Returns empty (and records a problem) when it is not a mapping.
     */
    public static Optional<Fields> of(YamlNode node, Problems problems, String what, Set<String> allowed) {
        if (!(node instanceof YamlNode.Mapping m)) {
            problems.add(node.location(), what + " must be a mapping, found " + node.kind());
            return Optional.empty();
        }
        for (YamlNode.Mapping.Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                problems.add(e.keyLocation(), "unknown key '" + e.key() + "' in " + what
                        + " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        return Optional.of(new Fields(m, problems, what));
    }

    public YamlNode.Mapping mapping() {
        return mapping;
    }

    public Location location() {
        return mapping.location();
    }

    public Optional<YamlNode> node(String key) {
        return mapping.get(key);
    }

    /** Location of a key, or of the mapping when the key is absent. */
    public Location keyLocation(String key) {
        YamlNode.Mapping.Entry e = mapping.entries().get(key);
        return e == null ? mapping.location() : e.keyLocation();
    }

    public Optional<String> string(String key) {
        Optional<YamlNode> n = mapping.get(key);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        if (n.get() instanceof YamlNode.Scalar s && !s.isNull()) {
            return Optional.of(s.text());
        }
        problems.add(n.get().location(), "'" + key + "' in " + what + " must be a scalar, found " + n.get().kind());
        return Optional.empty();
    }

    public Optional<String> requiredString(String key) {
        if (!mapping.has(key)) {
            problems.add(mapping.location(), what + " is missing required key '" + key + "'");
            return Optional.empty();
        }
        return string(key);
    }

    public Optional<Long> integer(String key, long min) {
        return integer(key, min, Long.MAX_VALUE);
    }

    /** An integer from {@code min} to {@code max}; anything else (text, a number out of range) is a located problem. */
    public Optional<Long> integer(String key, long min, long max) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Location where = mapping.get(key).orElseThrow().location();
        String text = s.get().trim();
        try {
            long v = Long.parseLong(text);
            if (v < min || v > max) {
                problems.add(where, "'" + key + "' in " + what + " must be " + range(min, max) + ", found " + v);
                return Optional.empty();
            }
            return Optional.of(v);
        } catch (NumberFormatException e) {
            problems.add(where, text.matches("[-+]?\\d+")
                    ? "'" + key + "' in " + what + " is out of range: it must be " + range(min, max) + ", found " + text
                    : "'" + key + "' in " + what + " must be an integer, found '" + s.get() + "'");
            return Optional.empty();
        }
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
    }

    public Optional<Boolean> bool(String key) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        switch (s.get().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true":
            case "yes":
                return Optional.of(true);
            case "false":
            case "no":
                return Optional.of(false);
            default:
                problems.add(mapping.get(key).orElseThrow().location(),
                        "'" + key + "' in " + what + " must be true or false, found '" + s.get() + "'");
                return Optional.empty();
        }
    }

    /** A key whose value must be a mapping; absent gives empty without a problem. */
    public Optional<YamlNode.Mapping> mappingAt(String key) {
        Optional<YamlNode> n = mapping.get(key);
        if (n.isEmpty() || (n.get() instanceof YamlNode.Scalar s && s.isNull())) {
            return Optional.empty();
        }
        if (n.get() instanceof YamlNode.Mapping m) {
            return Optional.of(m);
        }
        problems.add(n.get().location(), "'" + key + "' in " + what + " must be a mapping, found " + n.get().kind());
        return Optional.empty();
    }

    /** A key whose value must be a list; absent gives empty without a problem. */
    public Optional<YamlNode.Sequence> sequenceAt(String key) {
        Optional<YamlNode> n = mapping.get(key);
        if (n.isEmpty() || (n.get() instanceof YamlNode.Scalar s && s.isNull())) {
            return Optional.empty();
        }
        if (n.get() instanceof YamlNode.Sequence q) {
            return Optional.of(q);
        }
        problems.add(n.get().location(), "'" + key + "' in " + what + " must be a list, found " + n.get().kind());
        return Optional.empty();
    }
}
