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

    /** What YAML's core schema makes of a scalar: plain {@code 12} is an int, quoted {@code "12"} a string. */
    enum ScalarType { NULL, BOOL, INT, FLOAT, STRING }

    /**
     * A scalar: its text as written ({@code null} for YAML null) and the type YAML resolves it to, for
     * readers that care (most read the text with the type their own field expects).
     */
    record Scalar(String text, Location location, ScalarType type) implements YamlNode {
        /** A scalar of text (or YAML null when {@code text} is null). */
        public Scalar(String text, Location location) {
            this(text, location, text == null ? ScalarType.NULL : ScalarType.STRING);
        }

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
