package org.cohortflow.biomarkers.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * The neutral image representation all feature families work on: intensities on a regular grid
 * (usually the ROI's bounding box plus a margin) with an intensity mask and a morphological mask.
 *
 * <p>Voxel {@code (x, y, z)} is at {@code x + nx * (y + ny * z)}; {@code z} is the slice axis, so 2D
 * and 2.5D features work on the {@code (x, y)} planes. Spacing is in millimetres per axis. The masks
 * are separate because re-segmentation changes only the intensity mask (IBSI 2.x): morphology uses
 * the morphological mask, everything else the intensity mask.
 *
 * <p>Instances are immutable; accessors copy arrays only where noted.
 */
public final class RoiImage {
    private final int nx;
    private final int ny;
    private final int nz;
    private final double[] spacing;
    private final float[] intensities;
    private final boolean[] intensityMask;
    private final boolean[] morphologicalMask;

    /**
     * @param dims              grid size {@code [nx, ny, nz]}
     * @param spacing           voxel spacing in mm {@code [sx, sy, sz]}, all positive
     * @param intensities       {@code nx * ny * nz} intensities
     * @param intensityMask     voxels used by the intensity and texture families
     * @param morphologicalMask voxels used by morphology
     */
    public RoiImage(int[] dims, double[] spacing, float[] intensities, boolean[] intensityMask,
                    boolean[] morphologicalMask) {
        Objects.requireNonNull(dims, "dims");
        Objects.requireNonNull(spacing, "spacing");
        if (dims.length != 3 || spacing.length != 3) {
            throw new IllegalArgumentException("dims and spacing need three components");
        }
        for (int a = 0; a < 3; a++) {
            if (dims[a] < 1) {
                throw new IllegalArgumentException("dimension " + a + " must be positive: " + dims[a]);
            }
            if (!(spacing[a] > 0) || !Double.isFinite(spacing[a])) {
                throw new IllegalArgumentException("spacing " + a + " must be positive: " + spacing[a]);
            }
        }
        this.nx = dims[0];
        this.ny = dims[1];
        this.nz = dims[2];
        int n = nx * ny * nz;
        if (intensities.length != n || intensityMask.length != n || morphologicalMask.length != n) {
            throw new IllegalArgumentException("arrays must have " + n + " voxels");
        }
        this.spacing = spacing.clone();
        this.intensities = intensities.clone();
        this.intensityMask = intensityMask.clone();
        this.morphologicalMask = morphologicalMask.clone();
    }

    /** An image whose intensity and morphological masks are the same. */
    public static RoiImage of(int[] dims, double[] spacing, float[] intensities, boolean[] mask) {
        return new RoiImage(dims, spacing, intensities, mask, mask);
    }

    public int nx() { return nx; }

    public int ny() { return ny; }

    public int nz() { return nz; }

    /** @return {@code [nx, ny, nz]} */
    public int[] dims() { return new int[] {nx, ny, nz}; }

    /** @return a copy of the spacing in mm */
    public double[] spacing() { return spacing.clone(); }

    /** @return spacing along one axis in mm */
    public double spacing(int axis) { return spacing[axis]; }

    /** @return number of grid voxels */
    public int voxelCount() { return intensities.length; }

    /** @return the linear index of {@code (x, y, z)} */
    public int index(int x, int y, int z) { return x + nx * (y + ny * z); }

    /** @return intensity at a linear index */
    public float intensity(int index) { return intensities[index]; }

    /** @return whether a voxel is in the intensity mask */
    public boolean inIntensityMask(int index) { return intensityMask[index]; }

    /** @return whether a voxel is in the morphological mask */
    public boolean inMorphologicalMask(int index) { return morphologicalMask[index]; }

    /** @return a copy of all intensities */
    public float[] intensities() { return intensities.clone(); }

    /** @return a copy of the intensity mask */
    public boolean[] intensityMask() { return intensityMask.clone(); }

    /** @return a copy of the morphological mask */
    public boolean[] morphologicalMask() { return morphologicalMask.clone(); }

    /** @return the intensities inside the intensity mask, in grid order */
    public double[] roiIntensities() {
        double[] out = new double[intensityMaskCount()];
        int k = 0;
        for (int i = 0; i < intensities.length; i++) {
            if (intensityMask[i]) {
                out[k++] = intensities[i];
            }
        }
        return out;
    }

    /** @return number of voxels in the intensity mask */
    public int intensityMaskCount() {
        int c = 0;
        for (boolean b : intensityMask) {
            if (b) c++;
        }
        return c;
    }

    /** @return number of voxels in the morphological mask */
    public int morphologicalMaskCount() {
        int c = 0;
        for (boolean b : morphologicalMask) {
            if (b) c++;
        }
        return c;
    }

    /** Returns a copy with a different intensity mask (the result of re-segmentation). */
    public RoiImage withIntensityMask(boolean[] mask) {
        return new RoiImage(dims(), spacing, intensities, mask, morphologicalMask);
    }

    /** Returns a copy with different intensities on the same grid and masks. */
    public RoiImage withIntensities(float[] values) {
        return new RoiImage(dims(), spacing, values, intensityMask, morphologicalMask);
    }

    /**
     * Crops to the bounding box of both masks, keeping {@code margin} extra voxels per side where the
     * grid has them (the local intensity peak looks at voxels outside the ROI).
     *
     * @return the cropped image, or this image when the masks are empty
     */
    public RoiImage cropToRoi(int[] margin) {
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = index(x, y, z);
                    if (intensityMask[i] || morphologicalMask[i]) {
                        lo[0] = Math.min(lo[0], x); hi[0] = Math.max(hi[0], x);
                        lo[1] = Math.min(lo[1], y); hi[1] = Math.max(hi[1], y);
                        lo[2] = Math.min(lo[2], z); hi[2] = Math.max(hi[2], z);
                    }
                }
            }
        }
        if (hi[0] < 0) {
            return this;
        }
        int[] size = dims();
        for (int a = 0; a < 3; a++) {
            lo[a] = Math.max(0, lo[a] - margin[a]);
            hi[a] = Math.min(size[a] - 1, hi[a] + margin[a]);
        }
        int cx = hi[0] - lo[0] + 1, cy = hi[1] - lo[1] + 1, cz = hi[2] - lo[2] + 1;
        int n = cx * cy * cz;
        float[] v = new float[n];
        boolean[] im = new boolean[n];
        boolean[] mm = new boolean[n];
        int k = 0;
        for (int z = lo[2]; z <= hi[2]; z++) {
            for (int y = lo[1]; y <= hi[1]; y++) {
                for (int x = lo[0]; x <= hi[0]; x++) {
                    int i = index(x, y, z);
                    v[k] = intensities[i];
                    im[k] = intensityMask[i];
                    mm[k] = morphologicalMask[i];
                    k++;
                }
            }
        }
        return new RoiImage(new int[] {cx, cy, cz}, spacing, v, im, mm);
    }

    @Override
    public String toString() {
        return "RoiImage" + Arrays.toString(dims()) + " spacing " + Arrays.toString(spacing)
                + ", " + intensityMaskCount() + " intensity-mask voxels, " + morphologicalMaskCount()
                + " morphological-mask voxels";
    }
}
