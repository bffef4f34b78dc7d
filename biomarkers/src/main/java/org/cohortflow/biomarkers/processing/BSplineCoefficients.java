package org.cohortflow.biomarkers.processing;

/**
 * Cubic B-spline interpolation of a 3D image (IBSI's "tricubic spline"): coefficients {@code c} are
 * fitted so that {@code sum_k c[k] * beta3(x - k)} passes through every voxel value (Unser's recursive
 * prefilter, pole {@code sqrt(3) - 2}, applied along x, y and z), then evaluated at any point from its
 * 4 x 4 x 4 neighbouring coefficients.
 *
 * <p>Only a box of the image is fitted (the ROI plus a margin). Where the box ends at the image's edge
 * the signal is continued by whole-sample mirroring (scipy's {@code map_coordinates} default); where it
 * ends inside the image the fit starts with the {@link #HORIZON} samples it has, an error below
 * {@code 0.268^HORIZON} of the intensities beyond it. Points outside the image are evaluated at the
 * nearest point inside (IBSI: the image is padded with its boundary values).
 */
final class BSplineCoefficients {
    /** Samples used to start the causal filter; {@code |z|^24 < 2e-14}. */
    static final int HORIZON = 24;
    private static final double POLE = Math.sqrt(3) - 2;

    private final int[] dims;
    private final int[] from;
    private final int[] size;
    private final double[] coefficients;

    private BSplineCoefficients(int[] dims, int[] from, int[] size, double[] coefficients) {
        this.dims = dims;
        this.from = from;
        this.size = size;
        this.coefficients = coefficients;
    }

    /**
     * @param values image values, x fastest
     * @param dims   image size
     * @param box    {@code {from, to}}: the inclusive voxel range per axis to fit
     */
    static BSplineCoefficients fit(float[] values, int[] dims, int[][] box) {
        int[] from = box[0].clone();
        int[] size = new int[3];
        for (int a = 0; a < 3; a++) size[a] = box[1][a] - from[a] + 1;
        double[] c = new double[size[0] * size[1] * size[2]];
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                int src = from[0] + dims[0] * ((from[1] + y) + dims[1] * (from[2] + z));
                int dst = size[0] * (y + size[1] * z);
                for (int x = 0; x < size[0]; x++) c[dst + x] = values[src + x];
            }
        }
        double[] line = new double[Math.max(size[0], Math.max(size[1], size[2]))];
        int[] strides = {1, size[0], size[0] * size[1]};
        for (int axis = 0; axis < 3; axis++) {
            int n = size[axis];
            int stride = strides[axis];
            // The causal start may use the real mirror boundary only where the box reaches the image's edge.
            boolean startsAtEdge = from[axis] == 0;
            boolean endsAtEdge = from[axis] + n == dims[axis];
            int other1 = (axis + 1) % 3, other2 = (axis + 2) % 3;
            for (int j = 0; j < size[other2]; j++) {
                for (int i = 0; i < size[other1]; i++) {
                    int base = i * strides[other1] + j * strides[other2];
                    for (int k = 0; k < n; k++) line[k] = c[base + k * stride];
                    filter(line, n, startsAtEdge, endsAtEdge);
                    for (int k = 0; k < n; k++) c[base + k * stride] = line[k];
                }
            }
        }
        return new BSplineCoefficients(dims.clone(), from, size, c);
    }

    /**
     * In-place prefilter of one line. With mirror boundaries the anticausal start is exact
     * ({@code z / (z^2 - 1) * (c[n-1] + z c[n-2])}); without, the line's last value is the best start
     * available and its error decays along the line just as at the causal start.
     */
    private static void filter(double[] c, int n, boolean mirrorStart, boolean mirrorEnd) {
        if (n == 1) return;
        double z = POLE;
        for (int k = 0; k < n; k++) c[k] *= 6; // (1 - z)(1 - 1/z)
        double sum = c[0];
        double zk = z;
        int horizon = Math.min(n, HORIZON);
        if (mirrorStart && n <= HORIZON) {
            // Short line: the exact start for the whole-sample mirrored (period 2n - 2) signal.
            double zn = Math.pow(z, n - 1);
            double iz = 1 / z;
            double z2n = zn * zn * iz;
            sum = c[0] + zn * c[n - 1];
            for (int k = 1; k < n - 1; k++) {
                sum += (zk + z2n) * c[k];
                zk *= z;
                z2n *= iz;
            }
            sum /= 1 - zn * zn;
        } else if (mirrorStart) {
            for (int k = 1; k < horizon; k++) {
                sum += zk * c[k];
                zk *= z;
            }
        } else {
            // Unknown samples before the box: continue it with its first value (their weights sum to z / (1 - z)).
            sum = c[0] / (1 - z);
        }
        c[0] = sum;
        for (int k = 1; k < n; k++) c[k] += z * c[k - 1];
        if (mirrorEnd) {
            c[n - 1] = (z / (z * z - 1)) * (c[n - 1] + z * c[n - 2]);
        } else {
            c[n - 1] = -z / (1 - z) * c[n - 1];
        }
        for (int k = n - 2; k >= 0; k--) c[k] = z * (c[k + 1] - c[k]);
    }

    /** @return the spline's value at original index coordinates {@code (x, y, z)} */
    double value(double x, double y, double z) {
        double[] p = {clamp(x, 0), clamp(y, 1), clamp(z, 2)};
        int[] first = new int[3];
        double[][] w = new double[3][];
        for (int a = 0; a < 3; a++) {
            int f = (int) Math.floor(p[a]);
            w[a] = weights(p[a] - f);
            first[a] = f - 1 - from[a];
        }
        double r = 0;
        for (int k = 0; k < 4; k++) {
            int zi = index(first[2] + k, 2);
            double rz = 0;
            for (int j = 0; j < 4; j++) {
                int row = size[0] * (index(first[1] + j, 1) + size[1] * zi);
                double ry = 0;
                for (int i = 0; i < 4; i++) {
                    ry += w[0][i] * coefficients[row + index(first[0] + i, 0)];
                }
                rz += w[1][j] * ry;
            }
            r += w[2][k] * rz;
        }
        return r;
    }

    private double clamp(double v, int axis) {
        return Math.max(0, Math.min(dims[axis] - 1, v));
    }

    /** Whole-sample mirror inside the fitted box, as the fit assumed. */
    private int index(int k, int axis) {
        int n = size[axis];
        if (n == 1) return 0;
        int period = 2 * n - 2;
        k = Math.floorMod(k, period);
        return k < n ? k : period - k;
    }

    private static double[] weights(double t) {
        double u = 1 - t;
        return new double[] {
            u * u * u / 6,
            (4 - 6 * t * t + 3 * t * t * t) / 6,
            (1 + 3 * t + 3 * t * t - 3 * t * t * t) / 6,
            t * t * t / 6};
    }
}
