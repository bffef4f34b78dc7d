package org.cohortflow.dsl.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data bound to a network's sources for one run: per source, sample id -> value(s), in order.
 * Values are what the source's type expects (a URI string for file types, a literal for value types).
 */
public final class SourceData {
    private final Map<String, Map<String, List<Object>>> data;

    private SourceData(Map<String, Map<String, List<Object>>> data) {
        this.data = data;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<Map<String, List<Object>>> samples(String source) {
        return Optional.ofNullable(data.get(source));
    }

    public Map<String, Map<String, List<Object>>> all() {
        return data;
    }

    /** Collects samples per source. */
    public static final class Builder {
        private final Map<String, Map<String, List<Object>>> data = new LinkedHashMap<>();

        /**
         * Adds (or replaces) one sample of a source.
         *
         * @throws IllegalArgumentException when the id breaks the rule of {@link SampleIds}
         */
        public Builder add(String source, String sampleId, Object... values) {
            SampleIds.require(sampleId, "source '" + source + "'");
            data.computeIfAbsent(source, k -> new LinkedHashMap<>()).put(sampleId, List.of(values));
            return this;
        }

        /** Adds a whole source: sample id -> single value. */
        public Builder addAll(String source, Map<String, ?> samples) {
            samples.forEach((k, v) -> add(source, k, v));
            return this;
        }

        public SourceData build() {
            Map<String, Map<String, List<Object>>> copy = new LinkedHashMap<>();
            data.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
            return new SourceData(Collections.unmodifiableMap(copy));
        }
    }
}
