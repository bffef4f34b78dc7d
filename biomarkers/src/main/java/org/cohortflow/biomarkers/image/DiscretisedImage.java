package org.cohortflow.biomarkers.image;

/**
 * Grey levels {@code 1..ng} on the grid of a {@link RoiImage}; {@code 0} marks voxels outside the
 * intensity mask. Texture matrices, the intensity histogram and the intensity-volume histogram are
 * computed from this.
 */
public final class DiscretisedImage {
    private final int nx;
    private final int ny;
    private final int nz;
    private final double[] spacing;
    private final int[] levels;
    private final int ng;

    /**
     * @param dims    grid size
     * @param spacing voxel spacing in mm
     * @param levels  grey level per voxel, {@code 0} outside the ROI, otherwise in {@code 1..ng}
     * @param ng      number of grey levels
     */
    public DiscretisedImage(int[] dims, double[] spacing, int[] levels, int ng) {
        this.nx = dims[0];
        this.ny = dims[1];
        this.nz = dims[2];
        if (levels.length != nx * ny * nz) {
            throw new IllegalArgumentException("levels must have " + nx * ny * nz + " voxels");
        }
        for (int l : levels) {
            if (l < 0 || l > ng) {
                throw new IllegalArgumentException("grey level " + l + " outside 0.." + ng);
            }
        }
        this.spacing = spacing.clone();
        this.levels = levels.clone();
        this.ng = ng;
    }

    public int nx() { return nx; }

    public int ny() { return ny; }

    public int nz() { return nz; }

    /** @return spacing along one axis in mm */
    public double spacing(int axis) { return spacing[axis]; }

    /** @return number of grey levels */
    public int ng() { return ng; }

    /** @return the grey level at a linear index, {@code 0} outside the ROI */
    public int level(int index) { return levels[index]; }

    /** @return the grey level at {@code (x, y, z)}, {@code 0} outside the ROI or the grid */
    public int levelAt(int x, int y, int z) {
        if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) {
            return 0;
        }
        return levels[x + nx * (y + ny * z)];
    }

    /** @return linear index of {@code (x, y, z)} */
    public int index(int x, int y, int z) { return x + nx * (y + ny * z); }

    /** @return number of grid voxels */
    public int voxelCount() { return levels.length; }

    /** @return whether slice {@code z} has any ROI voxel */
    public boolean sliceHasRoi(int z) {
        int from = nx * ny * z;
        for (int i = from; i < from + nx * ny; i++) {
            if (levels[i] > 0) return true;
        }
        return false;
    }

    /** @return the grey levels of ROI voxels, in grid order */
    public int[] roiLevels() {
        int c = 0;
        for (int l : levels) if (l > 0) c++;
        int[] out = new int[c];
        int k = 0;
        for (int l : levels) if (l > 0) out[k++] = l;
        return out;
    }
}
