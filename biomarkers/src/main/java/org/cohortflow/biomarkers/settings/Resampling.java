package org.cohortflow.biomarkers.settings;

import java.util.Arrays;
import java.util.Objects;

/**
 * Resampling to a new voxel spacing on IBSI's centre-aligned grid (IBSI 2.4).
 *
 * @param spacing       target spacing in mm along the image axes {@code x, y, z}; {@code NaN} keeps an axis
 *                      as it is (IBSI configuration B: 2 x 2 mm in-plane, slices kept), which the YAML
 *                      writes as {@code null}
 * @param interpolation image interpolation
 * @param maskThreshold partial-volume fraction at which an interpolated mask voxel is kept
 * @param round         round interpolated intensities to integers (e.g. CT in HU)
 */
public record Resampling(double[] spacing, Interpolation interpolation, double maskThreshold, boolean round) {

    /** Image interpolation methods. */
    public enum Interpolation {
        /** Nearest neighbour. */
        NEAREST,
        /** (Tri)linear. */
        LINEAR,
        /** Keys cubic convolution ({@code a = -0.5}): interpolating, but not a spline. */
        CUBIC,
        /**
         * Cubic B-spline interpolation (IBSI's "tricubic spline", configuration E): the B-spline
         * coefficients are fitted so that the spline passes through every voxel value.
         */
        SPLINE
    }

    public Resampling {
        Objects.requireNonNull(interpolation, "resampling.interpolation");
        if (spacing == null || spacing.length != 3) {
            throw new IllegalArgumentException("resampling.spacing needs three values [x, y, z]");
        }
        for (double s : spacing) {
            if (Double.isNaN(s)) continue;
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("resampling.spacing values must be positive, got "
                        + Arrays.toString(spacing));
            }
        }
        if (Double.isNaN(spacing[0]) && Double.isNaN(spacing[1]) && Double.isNaN(spacing[2])) {
            throw new IllegalArgumentException("resampling.spacing keeps every axis (all null); leave resampling out instead");
        }
        if (!(maskThreshold > 0 && maskThreshold <= 1)) {
            throw new IllegalArgumentException("resampling.mask_threshold must be in (0, 1], got " + maskThreshold);
        }
        spacing = spacing.clone();
    }

    @Override
    public double[] spacing() {
        return spacing.clone();
    }

    /** @return the target spacing for an image of spacing {@code original}: kept axes take the original's */
    public double[] spacingFor(double[] original) {
        double[] out = spacing.clone();
        for (int a = 0; a < 3; a++) {
            if (Double.isNaN(out[a])) out[a] = original[a];
        }
        return out;
    }

    /** @return whether axis {@code a} keeps its grid (the spacing was given as {@code null}) */
    public boolean keeps(int axis) {
        return Double.isNaN(spacing[axis]);
    }
}
