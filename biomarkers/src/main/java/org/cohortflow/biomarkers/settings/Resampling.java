package org.cohortflow.biomarkers.settings;

import java.util.Arrays;
import java.util.Objects;

/**
 * Resampling to a new voxel spacing on IBSI's centre-aligned grid (IBSI 2.4).
 *
 * @param spacing       target spacing in mm along the image axes {@code x, y, z}
 * @param interpolation image interpolation
 * @param maskThreshold partial-volume fraction at which an interpolated mask voxel is kept
 * @param round         round interpolated intensities to integers (e.g. CT in HU)
 */
public record Resampling(double[] spacing, Interpolation interpolation, double maskThreshold, boolean round) {

    /** Image interpolation methods. */
    public enum Interpolation {
        NEAREST, LINEAR, CUBIC
    }

    public Resampling {
        Objects.requireNonNull(interpolation, "resampling.interpolation");
        if (spacing == null || spacing.length != 3) {
            throw new IllegalArgumentException("resampling.spacing needs three values [x, y, z]");
        }
        for (double s : spacing) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("resampling.spacing values must be positive, got "
                        + Arrays.toString(spacing));
            }
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
}
