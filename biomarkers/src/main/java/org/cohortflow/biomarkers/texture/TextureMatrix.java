package org.cohortflow.biomarkers.texture;

import java.util.Collection;

/**
 * A texture matrix of counts with {@code ng} rows (grey levels {@code 1..ng}) and {@code cols}
 * columns (second grey level, run length, zone size, distance, dependence count, ...), stored
 * row-major in a primitive array. Matrices of one family are merged by adding counts, which is how
 * IBSI's merged aggregations are defined.
 */
public final class TextureMatrix {
    private final int ng;
    private final int cols;
    private final double[] counts;
    private final double voxels;

    /**
     * @param ng     rows (grey levels)
     * @param cols   columns
     * @param counts row-major {@code ng * cols} counts; not copied, callers hand over ownership
     * @param voxels number of ROI voxels the matrix was built from (zone/run percentages)
     */
    public TextureMatrix(int ng, int cols, double[] counts, double voxels) {
        if (counts.length != ng * cols) {
            throw new IllegalArgumentException("counts must hold " + ng + " x " + cols + " values");
        }
        this.ng = ng;
        this.cols = cols;
        this.counts = counts;
        this.voxels = voxels;
    }

    public int ng() { return ng; }

    public int cols() { return cols; }

    /** @return count at grey level {@code i} (1-based) and column {@code j} (1-based) */
    public double get(int i, int j) { return counts[(i - 1) * cols + (j - 1)]; }

    /** @return ROI voxels this matrix (or the matrices merged into it) was built from */
    public double voxels() { return voxels; }

    /** @return the sum of all counts */
    public double total() {
        double s = 0;
        for (double c : counts) s += c;
        return s;
    }

    /** @return true when the matrix holds no counts */
    public boolean isEmpty() {
        return total() == 0;
    }

    /** Adds matrices; columns are padded to the widest one so zone sizes of any length merge. */
    public static TextureMatrix merge(Collection<TextureMatrix> matrices) {
        int ng = 0;
        int cols = 0;
        for (TextureMatrix m : matrices) {
            ng = Math.max(ng, m.ng);
            cols = Math.max(cols, m.cols);
        }
        double[] sum = new double[ng * cols];
        double voxels = 0;
        for (TextureMatrix m : matrices) {
            for (int i = 0; i < m.ng; i++) {
                for (int j = 0; j < m.cols; j++) {
                    sum[i * cols + j] += m.counts[i * m.cols + j];
                }
            }
            voxels += m.voxels;
        }
        return new TextureMatrix(ng, cols, sum, voxels);
    }
}
