package org.cohortflow.biomarkers.processing;

import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.image.RoiImage;

/** Applies a {@link Discretisation} to the intensity-mask voxels of a {@link RoiImage}. */
public final class Discretiser {
    private Discretiser() {
    }

    /**
     * @return grey levels {@code 1..Ng}, 0 outside the intensity mask
     * @throws IllegalArgumentException for {@link Discretisation.Method#NONE} when an ROI intensity
     *                                  is not an integer of at least 1
     */
    public static DiscretisedImage apply(RoiImage image, Discretisation d) {
        int n = image.voxelCount();
        int[] levels = new int[n];
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (!image.inIntensityMask(i)) continue;
            min = Math.min(min, image.intensity(i));
            max = Math.max(max, image.intensity(i));
        }
        int ng = 1;
        for (int i = 0; i < n; i++) {
            if (!image.inIntensityMask(i)) continue;
            double x = image.intensity(i);
            int level;
            switch (d.method()) {
                case NONE -> {
                    if (x != Math.rint(x) || x < 1) {
                        throw new IllegalArgumentException("discretisation.method none needs integer intensities of at"
                                + " least 1 in the ROI, found " + x + "; use fixed_bin_number or fixed_bin_size");
                    }
                    level = (int) x;
                }
                case FIXED_BIN_NUMBER -> {
                    level = max == min ? 1 : (int) Math.floor(d.bins() * (x - min) / (max - min)) + 1;
                    level = Math.min(level, d.bins());
                }
                case FIXED_BIN_SIZE -> {
                    double lb = d.lowerBoundFor(min);
                    level = Math.max(1, (int) Math.floor((x - lb) / d.binWidth()) + 1);
                }
                default -> throw new IllegalStateException(d.method().toString());
            }
            levels[i] = level;
            ng = Math.max(ng, level);
        }
        if (d.method() == Discretisation.Method.FIXED_BIN_NUMBER) {
            ng = d.bins();
        }
        return new DiscretisedImage(image.dims(), image.spacing(), levels, ng);
    }
}
