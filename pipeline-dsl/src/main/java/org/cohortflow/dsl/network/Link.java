package org.cohortflow.dsl.network;

import java.util.Optional;

/**
 * Data flowing from a producer into a node input or sink. A link may {@code collapse} a dimension (all
 * samples along it become the values of one input, e.g. all slices of a subject) or {@code expand} the
 * values of each sample into a new dimension.
 */
public record Link(PortRef from, Optional<String> collapse, boolean expand) {

    public static Link from(PortRef from) {
        return new Link(from, Optional.empty(), false);
    }

    public static Link from(String ref) {
        return from(PortRef.parse(ref));
    }

    public Link collapsing(String dimension) {
        return new Link(from, Optional.of(dimension), expand);
    }

    public Link expanding() {
        return new Link(from, collapse, true);
    }

    /** True when this is a plain link that YAML can write as just the reference. */
    public boolean plain() {
        return collapse.isEmpty() && !expand;
    }
}
