package org.cohortflow.biomarkers.filter;

/**
 * An IBSI 2 convolutional filter: an image in, its response map (same grid) out. Implementations are
 * immutable descriptions of one filter and its parameters; {@link #name()} spells them out, so a feature
 * computed on the response map can say which filter made it.
 */
public interface ImageFilter {

    /** The response map of {@code image}. */
    FilterImage apply(FilterImage image);

    /** The filter and its parameters, e.g. {@code mean_3D_M15_zero}. */
    String name();
}
