package org.cohortflow.biomarkers.filter;

/**
 * One-dimensional convolutions along an image axis, with a {@link Boundary}: the building block of every
 * separable filter (and of sums and rotations of separable filters). Convolution, not correlation: the kernel
 * is mirrored, as in IBSI 2's definition {@code (f * h)(k) = sum_j f(k - j) h(j)}.
 */
final class Convolution {
    private Convolution() {
    }

    /**
     * Convolves {@code in} along {@code axis} with {@code kernel}, whose element {@code origin} sits on the
     * output voxel: {@code out[k] = sum_j kernel[j] in[k + origin - j]}.
     */
    static double[] along(FilterImage in, int axis, double[] kernel, int origin, Boundary boundary) {
        if (axis != 0) return acrossRows(in, axis, kernel, origin, boundary);
        int n = in.size(axis);
        int stride = in.stride(axis);
        int len = kernel.length;
        double[] src = in.values();
        double[] out = new double[src.length];
        // Each line is copied once into a padded buffer, so the inner loop needs no boundary tests.
        int before = len - 1 - origin;
        int after = origin;
        double[] line = new double[n + before + after];
        int lines = src.length / n;
        for (int l = 0; l < lines; l++) {
            int start = lineStart(in, axis, l);
            for (int i = -before; i < n + after; i++) {
                int j = boundary.index(i, n);
                line[i + before] = j < 0 ? 0 : src[start + j * stride];
            }
            for (int k = 0; k < n; k++) {
                double s = 0;
                // out[k] = sum_j kernel[j] line[k + origin - j + before]
                int base = k + origin + before;
                for (int j = 0; j < len; j++) {
                    s += kernel[j] * line[base - j];
                }
                out[start + k * stride] = s;
            }
        }
        return out;
    }

    /**
     * {@link #along} for the y or z axis, computed as weighted sums of whole x-rows: each output row is
     * {@code sum_j kernel[j] row(k + origin - j)}, the source row chosen by the boundary condition (none: zero).
     * The inner loop runs over contiguous memory (and vectorises), where walking a y or z line touches one
     * cache line, and for z one page, per voxel. The terms are added in the same order as along x, so the
     * result is the same to the last bit.
     */
    private static double[] acrossRows(FilterImage in, int axis, double[] kernel, int origin, Boundary boundary) {
        int nx = in.nx();
        int ny = in.ny();
        int nz = in.nz();
        int n = axis == 1 ? ny : nz;
        double[] src = in.values();
        double[] out = new double[src.length];
        double[] zero = new double[nx];
        int len = kernel.length;
        double[][] rows = new double[len][];
        int[] from = new int[len];
        // Outer loop over the rows not moved along the axis: (z) for y, (y) for z; inner over the axis.
        int outer = axis == 1 ? nz : ny;
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < len; j++) {
                    int r = boundary.index(k + origin - j, n);
                    // Outside with a zero boundary: a row of zeros, so the terms stay those of the x pass.
                    rows[j] = r < 0 ? zero : src;
                    from[j] = r < 0 ? 0 : axis == 1 ? (o * ny + r) * nx : (r * ny + o) * nx;
                }
                int to = axis == 1 ? (o * ny + k) * nx : (k * ny + o) * nx;
                int j = 0;
                // Four source rows per sweep over the output row: a quarter of the loads and stores of the
                // output, the additions still one after the other in kernel order.
                for (; j + 4 <= len; j += 4) {
                    double[] a0 = rows[j], a1 = rows[j + 1], a2 = rows[j + 2], a3 = rows[j + 3];
                    int f0 = from[j], f1 = from[j + 1], f2 = from[j + 2], f3 = from[j + 3];
                    double w0 = kernel[j], w1 = kernel[j + 1], w2 = kernel[j + 2], w3 = kernel[j + 3];
                    for (int x = 0; x < nx; x++) {
                        double t = out[to + x];
                        t += w0 * a0[f0 + x];
                        t += w1 * a1[f1 + x];
                        t += w2 * a2[f2 + x];
                        t += w3 * a3[f3 + x];
                        out[to + x] = t;
                    }
                }
                for (; j < len; j++) {
                    double[] a = rows[j];
                    int f = from[j];
                    double w = kernel[j];
                    for (int x = 0; x < nx; x++) out[to + x] += w * a[f + x];
                }
            }
        }
        return out;
    }

    /** Convolves along {@code axis} with a kernel centred on its middle element (odd length). */
    static FilterImage centred(FilterImage in, int axis, double[] kernel, Boundary boundary) {
        if (kernel.length % 2 == 0) throw new IllegalArgumentException("centred kernels have odd length");
        return in.with(along(in, axis, kernel, kernel.length / 2, boundary));
    }

    /** Applies {@code kernels[a]} along axis {@code a} for each axis that has one (null: left alone). */
    static FilterImage separable(FilterImage in, double[][] kernels, Boundary boundary) {
        FilterImage out = in;
        for (int a = 0; a < kernels.length; a++) {
            if (kernels[a] != null) out = centred(out, a, kernels[a], boundary);
        }
        return out;
    }

    /** Applies {@code kernels[a]} with origin {@code origins[a]} along each axis that has a kernel. */
    static FilterImage separable(FilterImage in, double[][] kernels, int[] origins, Boundary boundary) {
        FilterImage out = in;
        for (int a = 0; a < kernels.length; a++) {
            if (kernels[a] != null) out = out.with(along(out, a, kernels[a], origins[a], boundary));
        }
        return out;
    }

    /** The first voxel of line {@code l} of the lines along {@code axis}. */
    private static int lineStart(FilterImage in, int axis, int l) {
        int nx = in.nx();
        int ny = in.ny();
        return switch (axis) {
            case 0 -> l * nx;
            case 1 -> (l % nx) + (l / nx) * nx * ny;
            default -> l;
        };
    }
}
