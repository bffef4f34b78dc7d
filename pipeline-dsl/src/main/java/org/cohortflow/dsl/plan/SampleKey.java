package org.cohortflow.dsl.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Identifies a sample of a node: one id per dimension of the node, in dimension order. Printed (and
 * used in URLs as {@code {sample_id}}) as the ids joined by {@code __}, or {@code all} when the node
 * has no dimension.
 */
public record SampleKey(List<String> ids) implements Comparable<SampleKey> {
    public static final SampleKey NONE = new SampleKey(List.of());

    public SampleKey {
        ids = List.copyOf(ids);
    }

    public static SampleKey of(String... ids) {
        return new SampleKey(List.of(ids));
    }

    public SampleKey plus(String id) {
        List<String> l = new ArrayList<>(ids);
        l.add(id);
        return new SampleKey(l);
    }

    public SampleKey concat(SampleKey other) {
        List<String> l = new ArrayList<>(ids);
        l.addAll(other.ids);
        return new SampleKey(l);
    }

    public SampleKey without(int index) {
        List<String> l = new ArrayList<>(ids);
        l.remove(index);
        return new SampleKey(l);
    }

    @Override
    public String toString() {
        return ids.isEmpty() ? "all" : String.join("__", ids);
    }

    @Override
    public int compareTo(SampleKey o) {
        return toString().compareTo(o.toString());
    }
}
