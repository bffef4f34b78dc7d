package org.cohortflow.dsl.network;

import java.util.Optional;

/**
 * Data flowing from a producer into a node input or sink. A link may {@code collapse} a dimension (all
 * samples along it become the values of one input, e.g. all slices of a subject) or {@code expand} the
 * values of each sample into a new dimension.
 *
 * @param missing what a collapse does with samples that are missing or failed: by default (fastr's rule)
 *                one missing sample makes the collapsed value missing; {@link Missing#SKIP} collapses the
 *                samples that succeeded and records the others as left out
 */
public record Link(PortRef from, Optional<String> collapse, boolean expand, Missing missing) {

    /** What a collapsing link does with a missing or failed sample. */
    public enum Missing {
        /** The collapsed value is missing too (fastr's semantics; the default). */
        PROPAGATE,
        /** The sample is left out of the collapsed value, and reported as left out. */
        SKIP
    }

    public Link(PortRef from, Optional<String> collapse, boolean expand) {
        this(from, collapse, expand, Missing.PROPAGATE);
    }

    public static Link from(PortRef from) {
        return new Link(from, Optional.empty(), false);
    }

    public static Link from(String ref) {
        return from(PortRef.parse(ref));
    }

    public Link collapsing(String dimension) {
        return new Link(from, Optional.of(dimension), expand, missing);
    }

    public Link expanding() {
        return new Link(from, collapse, true, missing);
    }

    /** This link, collapsing only the samples that succeeded. */
    public Link skippingMissing() {
        return new Link(from, collapse, expand, Missing.SKIP);
    }

    /** True when this is a plain link that YAML can write as just the reference. */
    public boolean plain() {
        return collapse.isEmpty() && !expand && missing == Missing.PROPAGATE;
    }
}
