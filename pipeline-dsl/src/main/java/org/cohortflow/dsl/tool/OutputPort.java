package org.cohortflow.dsl.tool;

import org.cohortflow.dsl.types.TypeRef;

/** A typed handle on a tool output for the Java API (see {@link InputPort}). */
public record OutputPort<T>(PortSpec spec, TypeRef<T> type) {

    public static <T> OutputPort<T> of(String id, TypeRef<T> type) {
        return new OutputPort<>(PortSpec.of(id, type.name()), type);
    }

    public OutputPort<T> cardinality(Cardinality c) {
        return new OutputPort<>(spec.withCardinality(c), type);
    }

    public OutputPort<T> describedAs(String text) {
        return new OutputPort<>(spec.describedAs(text), type);
    }

    public String id() {
        return spec.id();
    }
}
