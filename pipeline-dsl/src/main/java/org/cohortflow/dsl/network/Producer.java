package org.cohortflow.dsl.network;

/**
 * Something a node input or sink can be linked to, typed with the Java class of its values: a source,
 * a constant or a node output. Linking a {@code Producer<Long>} to an input of {@code Double} does not
 * compile.
 */
public record Producer<T>(Link link) {

    /** The same data with {@code dimension} collapsed into the cardinality of each value. */
    public Producer<T> collapse(String dimension) {
        return new Producer<>(link.collapsing(dimension));
    }

    /** The same data with the values of each sample expanded into a new dimension. */
    public Producer<T> expand() {
        return new Producer<>(link.expanding());
    }
}
