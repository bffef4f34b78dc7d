package org.cohortflow.dsl.tool;

import org.cohortflow.dsl.types.TypeRef;

/**
 * A typed handle on a tool input for the Java API: tools declare these as constants, and both
 * {@code NetworkBuilder} links and {@link ToolContext#input(InputPort)} use them with their Java type.
 */
public record InputPort<T>(PortSpec spec, TypeRef<T> type) {

    public static <T> InputPort<T> of(String id, TypeRef<T> type) {
        return new InputPort<>(PortSpec.of(id, type.name()), type);
    }

    public InputPort<T> cardinality(Cardinality c) {
        return new InputPort<>(spec.withCardinality(c), type);
    }

    public InputPort<T> optional() {
        return new InputPort<>(spec.optional(), type);
    }

    public InputPort<T> withDefault(String literal) {
        return new InputPort<>(spec.withDefault(literal), type);
    }

    public InputPort<T> describedAs(String text) {
        return new InputPort<>(spec.describedAs(text), type);
    }

    public String id() {
        return spec.id();
    }
}
