package org.cohortflow.dsl.yaml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML document as a tree that remembers where each element came from, so that every error about a
 * tool or network file can point at its line and column. Jackson's tree model drops positions, hence
 * this small model of our own.
 */
public sealed interface YamlNode {

    Location location();

    /** What kind of YAML element this is, in words for error messages. */
    String kind();

    /** A scalar: its text as written ({@code null} for YAML null). */
    record Scalar(String text, Location location) implements YamlNode {
        public boolean isNull() {
            return text == null;
        }

        @Override
        public String kind() {
            return isNull() ? "null" : "a scalar";
        }
    }

    /** A sequence. */
    record Sequence(List<YamlNode> items, Location location) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A mapping with its keys in file order; each key keeps its own location. */
    record Mapping(Map<String, Entry> entries, Location location) implements YamlNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        /** A key with its position and value. */
        public record Entry(String key, Location keyLocation, YamlNode value) {}

        public Optional<YamlNode> get(String key) {
            Entry e = entries.get(key);
            return e == null ? Optional.empty() : Optional.of(e.value());
        }

        public boolean has(String key) {
            return entries.containsKey(key);
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }
}
