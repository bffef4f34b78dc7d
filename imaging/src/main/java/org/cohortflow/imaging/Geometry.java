package org.cohortflow.imaging;

import java.util.Arrays;

/**
 * The voxel grid of a {@link Volume} or {@link Mask} in DICOM patient coordinates (LPS, millimetres).
 *
 * <p>Voxel {@code (i, j, k)} has its centre at {@code origin + D * diag(spacing) * (i, j, k)}, where the
 * columns of the 3x3 direction matrix {@code D} are the unit vectors of the i, j and k axes in LPS. This is
 * the ITK / DICOM convention: {@code origin} is the centre of the first voxel, column 0 of {@code D} is the
 * DICOM row direction (ImageOrientationPatient[0..2]), column 1 the column direction, column 2 the slice
 * normal in the order slices are stored.
 *
 * <p>Arrays are copied on the way in and on the way out, so a {@code Geometry} is a true value (the copies
 * are a few dozen bytes). {@link #equals} is exact; use {@link #sameGrid(Geometry, double)} to compare grids
 * that went through a file format.
 *
 * @param dims      number of voxels along i, j, k (x fastest), each at least 1
 * @param origin    LPS position of the centre of voxel (0, 0, 0), in mm
 * @param spacing   voxel size along i, j, k in mm, each positive
 * @param direction 3x3 direction cosines, row-major: {@code direction[3 * row + column]}
 */
public record Geometry(int[] dims, double[] origin, double[] spacing, double[] direction) {

    /** Validates and copies the arrays. */
    public Geometry {
        if (dims == null || dims.length != 3) throw new IllegalArgumentException("dims must have 3 elements");
        if (origin == null || origin.length != 3) throw new IllegalArgumentException("origin must have 3 elements");
        if (spacing == null || spacing.length != 3) throw new IllegalArgumentException("spacing must have 3 elements");
        if (direction == null || direction.length != 9) throw new IllegalArgumentException("direction must have 9 elements (3x3, row-major)");
        for (int d : dims) if (d < 1) throw new IllegalArgumentException("dims must be >= 1: " + Arrays.toString(dims));
        for (double s : spacing) if (!(s > 0) || Double.isInfinite(s)) throw new IllegalArgumentException("spacing must be positive: " + Arrays.toString(spacing));
        long n = (long) dims[0] * dims[1] * dims[2];
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("too many voxels for one volume: " + n);
        dims = dims.clone();
        origin = origin.clone();
        spacing = spacing.clone();
        direction = direction.clone();
    }

    /** Axis-aligned grid (identity direction cosines). */
    public static Geometry of(int nx, int ny, int nz, double[] origin, double[] spacing) {
        return new Geometry(new int[] {nx, ny, nz}, origin, spacing, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    }

    @Override public int[] dims() { return dims.clone(); }
    @Override public double[] origin() { return origin.clone(); }
    @Override public double[] spacing() { return spacing.clone(); }
    @Override public double[] direction() { return direction.clone(); }

    public int nx() { return dims[0]; }
    public int ny() { return dims[1]; }
    public int nz() { return dims[2]; }

    /** Number of voxels, {@code nx * ny * nz}. */
    public int voxelCount() { return dims[0] * dims[1] * dims[2]; }

    /** Flat index of voxel (x, y, z), x fastest. No bounds check beyond the arithmetic. */
    public int index(int x, int y, int z) { return x + dims[0] * (y + dims[1] * z); }

    /** Whether (x, y, z) lies inside the grid. */
    public boolean contains(int x, int y, int z) {
        return x >= 0 && y >= 0 && z >= 0 && x < dims[0] && y < dims[1] && z < dims[2];
    }

    /** Unit vector of axis {@code axis} (0 = i, 1 = j, 2 = k) in LPS. */
    public double[] axis(int axis) {
        return new double[] {direction[axis], direction[3 + axis], direction[6 + axis]};
    }

    /** LPS position (mm) of continuous index (i, j, k); integer indices are voxel centres. */
    public double[] indexToWorld(double i, double j, double k) {
        double a = i * spacing[0], b = j * spacing[1], c = k * spacing[2];
        double[] p = new double[3];
        for (int r = 0; r < 3; r++) {
            p[r] = origin[r] + direction[3 * r] * a + direction[3 * r + 1] * b + direction[3 * r + 2] * c;
        }
        return p;
    }

    /**
     * Continuous index (i, j, k) of LPS point (x, y, z). Uses the inverse of the direction matrix so that
     * non-orthogonal (sheared) grids, which NIfTI sforms can describe, are handled too.
     */
    public double[] worldToIndex(double x, double y, double z) {
        double[] inv = inverse3x3(direction);
        double dx = x - origin[0], dy = y - origin[1], dz = z - origin[2];
        double[] idx = new double[3];
        for (int r = 0; r < 3; r++) {
            idx[r] = (inv[3 * r] * dx + inv[3 * r + 1] * dy + inv[3 * r + 2] * dz) / spacing[r];
        }
        return idx;
    }

    /**
     * Whether {@code other} describes the same voxel grid: equal dims, and origin, voxel corners and
     * direction*spacing agreeing within {@code toleranceMm} millimetres.
     */
    public boolean sameGrid(Geometry other, double toleranceMm) {
        return mismatch(other, toleranceMm) == null;
    }

    /**
     * Why {@code other} is not the same grid (see {@link #sameGrid}), or {@code null} when it is. Meant for
     * error messages.
     */
    public String mismatch(Geometry other, double toleranceMm) {
        if (!Arrays.equals(dims, other.dims)) {
            return "dims " + Arrays.toString(dims) + " vs " + Arrays.toString(other.dims);
        }
        for (int r = 0; r < 3; r++) {
            if (Math.abs(origin[r] - other.origin[r]) > toleranceMm) {
                return "origin " + Arrays.toString(origin) + " vs " + Arrays.toString(other.origin);
            }
        }
        // Comparing the far corner catches spacing and direction differences in millimetres, which is what matters.
        double[] a = indexToWorld(dims[0] - 1, dims[1] - 1, dims[2] - 1);
        double[] b = other.indexToWorld(dims[0] - 1, dims[1] - 1, dims[2] - 1);
        for (int axis = 0; axis < 3; axis++) {
            double[] e = new double[3];
            e[axis] = 1;
            double[] pa = indexToWorld(e[0], e[1], e[2]);
            double[] pb = other.indexToWorld(e[0], e[1], e[2]);
            for (int r = 0; r < 3; r++) {
                if (Math.abs(pa[r] - pb[r]) > toleranceMm) {
                    return "axis " + axis + " step " + Arrays.toString(sub(pa, origin)) + " vs " + Arrays.toString(sub(pb, other.origin))
                            + " (spacing " + Arrays.toString(spacing) + " vs " + Arrays.toString(other.spacing) + ")";
                }
            }
        }
        for (int r = 0; r < 3; r++) {
            if (Math.abs(a[r] - b[r]) > toleranceMm) {
                return "last voxel centre " + Arrays.toString(a) + " vs " + Arrays.toString(b);
            }
        }
        return null;
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    static double[] inverse3x3(double[] m) {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
        double det = a * A + b * B + c * C;
        if (Math.abs(det) < 1e-12) throw new IllegalStateException("direction matrix is singular: " + Arrays.toString(m));
        return new double[] {
            A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
            B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
            C / det, -(a * h - b * g) / det, (a * e - b * d) / det};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Geometry g && Arrays.equals(dims, g.dims) && Arrays.equals(origin, g.origin)
                && Arrays.equals(spacing, g.spacing) && Arrays.equals(direction, g.direction);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(dims) + Arrays.hashCode(origin)) + Arrays.hashCode(spacing)) + Arrays.hashCode(direction);
    }

    @Override
    public String toString() {
        return "Geometry[dims=" + Arrays.toString(dims) + ", origin=" + Arrays.toString(origin) + ", spacing="
                + Arrays.toString(spacing) + ", direction=" + Arrays.toString(direction) + "]";
    }
}
