package org.cohortflow.biomarkers.filter;

import java.util.Arrays;

/**
 * IBSI 2's mean filter: the average over a cube (3D) or square in each slice (2D) of {@code support} voxels
 * per side ({@code support} odd), applied as one 1D box per axis.
 *
 * @param support voxels per side, odd
 * @param planar true for the 2D filter (in the x-y plane of each slice)
 * @param boundary the boundary condition
 */
public record MeanFilter(int support, boolean planar, Boundary boundary) implements ImageFilter {
    public MeanFilter {
        if (support < 1 || support % 2 == 0) throw new IllegalArgumentException("mean filter support must be odd and positive: " + support);
    }

    @Override
    public FilterImage apply(FilterImage image) {
        double[] box = new double[support];
        Arrays.fill(box, 1.0 / support);
        return Convolution.separable(image, new double[][] {box, box, planar ? null : box}, boundary);
    }

    @Override
    public String name() {
        return "mean_" + (planar ? "2D" : "3D") + "_M" + support + "_" + boundary.name().toLowerCase(java.util.Locale.ROOT);
    }
}
