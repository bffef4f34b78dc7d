package org.cohortflow.dsl.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixed data written in the network. A constant with one {@code value} (possibly a list, giving a
 * cardinality above one) is broadcast to every sample; a constant with {@code samples} forms a dimension
 * of its own, named after it.
 *
 * @param samples literal values per sample id, in order; for a broadcast constant the single key is
 *                {@link #BROADCAST}
 */
public record Constant(String id, String type, Map<String, List<String>> samples) {
    public static final String BROADCAST = "*";

    public Constant {
        LinkedHashMap<String, List<String>> copy = new LinkedHashMap<>();
        samples.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        samples = java.util.Collections.unmodifiableMap(copy);
    }

    /** A constant broadcast to all samples. */
    public static Constant broadcast(String id, String type, List<String> values) {
        return new Constant(id, type, Map.of(BROADCAST, values));
    }

    public boolean isBroadcast() {
        return samples.size() == 1 && samples.containsKey(BROADCAST);
    }
}
