package org.cohortflow.dsl.network;

import java.util.Optional;

/**
 * What a link reads from: a source or constant ({@code image}) or an output of a node
 * ({@code register.transform}).
 */
public record PortRef(String element, Optional<String> port) {

    public static PortRef of(String element) {
        return new PortRef(element, Optional.empty());
    }

    public static PortRef of(String node, String output) {
        return new PortRef(node, Optional.of(output));
    }

    /** Parses {@code element} or {@code node.output}. */
    public static PortRef parse(String text) {
        String t = text.trim();
        int dot = t.indexOf('.');
        return dot < 0 ? of(t) : of(t.substring(0, dot), t.substring(dot + 1));
    }

    @Override
    public String toString() {
        return port.map(p -> element + "." + p).orElse(element);
    }
}
