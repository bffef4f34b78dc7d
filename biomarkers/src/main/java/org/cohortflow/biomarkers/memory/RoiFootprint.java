package org.cohortflow.biomarkers.memory;

import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;

/**
 * What the memory of the IBSI chain depends on, read from an image and its ROI without copying them: the
 * grid, the ROI's bounding box and its intensity range.
 *
 * @param dims    grid size {@code [nx, ny, nz]}
 * @param spacing voxel spacing in mm
 * @param lo      smallest ROI index per axis ({@code -1} for an empty ROI)
 * @param hi      largest ROI index per axis ({@code -1} for an empty ROI)
 * @param min     smallest intensity in the ROI (NaN for an empty ROI)
 * @param max     largest intensity in the ROI (NaN for an empty ROI)
 */
public record RoiFootprint(int[] dims, double[] spacing, int[] lo, int[] hi, double min, double max) {

    public RoiFootprint {
        dims = dims.clone();
        spacing = spacing.clone();
        lo = lo.clone();
        hi = hi.clone();
    }

    /** Reads the footprint of an image and its mask (on the image's grid) in one pass over the ROI's voxels. */
    public static RoiFootprint of(Volume image, Mask mask) {
        int[] dims = image.geometry().dims();
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        java.util.BitSet bits = mask.toBitSet();
        int plane = dims[0] * dims[1];
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            int[] xyz = {i % dims[0], (i / dims[0]) % dims[1], i / plane};
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], xyz[a]);
                hi[a] = Math.max(hi[a], xyz[a]);
            }
            double v = image.valueAt(i);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (hi[0] < 0) {
            return new RoiFootprint(dims, image.geometry().spacing(), new int[] {-1, -1, -1}, hi, Double.NaN, Double.NaN);
        }
        return new RoiFootprint(dims, image.geometry().spacing(), lo, hi, min, max);
    }

    /** Voxels of the whole grid. */
    public long voxels() {
        return (long) dims[0] * dims[1] * dims[2];
    }

    public boolean emptyRoi() {
        return hi[0] < 0;
    }
}
