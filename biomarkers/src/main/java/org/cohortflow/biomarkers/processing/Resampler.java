package org.cohortflow.biomarkers.processing;

import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.settings.Resampling;

/**
 * Resamples onto IBSI's centre-aligned grid (IBSI 2.4): the new grid has
 * {@code ceil(n * s / s')} voxels per axis and shares the original grid's centre; an axis whose target
 * spacing is {@code null} keeps its grid. Intensities are interpolated with the chosen method (nearest,
 * linear, Keys cubic convolution, or cubic B-spline through {@link BSplineCoefficients}); each mask is
 * interpolated trilinearly as a 0/1 image and kept where the partial-volume fraction reaches the threshold.
 *
 * <p>Only the new voxels near the ROI (its bounding box plus a margin) are evaluated, but the grid
 * itself is derived from the whole input, so cropping does not shift it.
 */
public final class Resampler {
    private Resampler() {
    }

    /**
     * @param image    the whole image with its masks
     * @param r        target spacing and interpolation
     * @param marginMm extra distance around the ROI to resample (for the local intensity peak)
     */
    public static RoiImage resample(RoiImage image, Resampling r, double marginMm) {
        int[] n = image.dims();
        double[] s = image.spacing();
        // An axis given as null keeps its spacing: full = n, scale = 1, shift = 0, so its positions stay on the
        // original voxels and every interpolation reduces to the in-plane one (IBSI configuration B).
        double[] t = r.spacingFor(s);
        int[] full = new int[3];
        double[] scale = new double[3];
        double[] shift = new double[3];
        for (int a = 0; a < 3; a++) {
            full[a] = (int) Math.ceil(n[a] * s[a] / t[a] - 1e-9);
            scale[a] = t[a] / s[a];
            // Original index coordinate of new voxel j: (j - (n'-1)/2) * s'/s + (n-1)/2.
            shift[a] = (n[a] - 1) / 2.0 - (full[a] - 1) / 2.0 * scale[a];
        }
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        for (int z = 0; z < n[2]; z++) {
            for (int y = 0; y < n[1]; y++) {
                for (int x = 0; x < n[0]; x++) {
                    int i = image.index(x, y, z);
                    if (image.inIntensityMask(i) || image.inMorphologicalMask(i)) {
                        lo[0] = Math.min(lo[0], x); hi[0] = Math.max(hi[0], x);
                        lo[1] = Math.min(lo[1], y); hi[1] = Math.max(hi[1], y);
                        lo[2] = Math.min(lo[2], z); hi[2] = Math.max(hi[2], z);
                    }
                }
            }
        }
        int[] from = new int[3];
        int[] size = new int[3];
        for (int a = 0; a < 3; a++) {
            if (hi[a] < 0) {
                from[a] = 0;
                size[a] = full[a];
                continue;
            }
            double m = marginMm / s[a] + 2;
            int j0 = (int) Math.floor((lo[a] - m - shift[a]) / scale[a]);
            int j1 = (int) Math.ceil((hi[a] + m - shift[a]) / scale[a]);
            j0 = Math.max(0, j0);
            j1 = Math.min(full[a] - 1, j1);
            from[a] = j0;
            size[a] = j1 - j0 + 1;
        }
        float[] src = image.intensities();
        BSplineCoefficients spline = r.interpolation() == Resampling.Interpolation.SPLINE
                ? BSplineCoefficients.fit(src, n, sourceBox(lo, hi, n, s, marginMm)) : null;
        float[] im = toFloat(image.intensityMask());
        float[] mm = toFloat(image.morphologicalMask());
        int total = size[0] * size[1] * size[2];
        float[] v = new float[total];
        boolean[] outIm = new boolean[total];
        boolean[] outMm = new boolean[total];
        int k = 0;
        for (int z = 0; z < size[2]; z++) {
            double pz = (from[2] + z) * scale[2] + shift[2];
            for (int y = 0; y < size[1]; y++) {
                double py = (from[1] + y) * scale[1] + shift[1];
                for (int x = 0; x < size[0]; x++) {
                    double px = (from[0] + x) * scale[0] + shift[0];
                    double value = switch (r.interpolation()) {
                        case NEAREST -> nearest(src, n, px, py, pz);
                        case LINEAR -> linear(src, n, px, py, pz);
                        case CUBIC -> cubic(src, n, px, py, pz);
                        case SPLINE -> spline.value(px, py, pz);
                    };
                    v[k] = (float) (r.round() ? Math.rint(value) : value);
                    outIm[k] = linear(im, n, px, py, pz) >= r.maskThreshold() - 1e-9;
                    outMm[k] = linear(mm, n, px, py, pz) >= r.maskThreshold() - 1e-9;
                    k++;
                }
            }
        }
        return new RoiImage(size, t, v, outIm, outMm);
    }

    /**
     * The original voxels the B-spline fit needs: the ROI's box, the margin, the spline's support and
     * {@link BSplineCoefficients#HORIZON} voxels more, within which the fit's boundary condition has decayed.
     */
    private static int[][] sourceBox(int[] lo, int[] hi, int[] n, double[] s, double marginMm) {
        int[] from = new int[3];
        int[] to = new int[3];
        for (int a = 0; a < 3; a++) {
            if (hi[a] < 0) {
                from[a] = 0;
                to[a] = n[a] - 1;
                continue;
            }
            // In long and clamped to the image: a margin "larger than the image" must not overflow.
            long pad = Math.min(n[a], (long) Math.ceil(marginMm / s[a])) + 4 + BSplineCoefficients.HORIZON;
            from[a] = (int) Math.max(0, lo[a] - pad);
            to[a] = (int) Math.min(n[a] - 1, hi[a] + pad);
        }
        return new int[][] {from, to};
    }

    private static float[] toFloat(boolean[] mask) {
        float[] f = new float[mask.length];
        for (int i = 0; i < mask.length; i++) f[i] = mask[i] ? 1f : 0f;
        return f;
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : (v >= n ? n - 1 : v);
    }

    private static float at(float[] a, int[] n, int x, int y, int z) {
        return a[clamp(x, n[0]) + n[0] * (clamp(y, n[1]) + n[1] * clamp(z, n[2]))];
    }

    static double nearest(float[] a, int[] n, double x, double y, double z) {
        return at(a, n, (int) Math.floor(x + 0.5), (int) Math.floor(y + 0.5), (int) Math.floor(z + 0.5));
    }

    static double linear(float[] a, int[] n, double x, double y, double z) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y), z0 = (int) Math.floor(z);
        double fx = x - x0, fy = y - y0, fz = z - z0;
        double r = 0;
        for (int dz = 0; dz <= 1; dz++) {
            double wz = dz == 0 ? 1 - fz : fz;
            if (wz == 0) continue;
            for (int dy = 0; dy <= 1; dy++) {
                double wy = dy == 0 ? 1 - fy : fy;
                if (wy == 0) continue;
                for (int dx = 0; dx <= 1; dx++) {
                    double wx = dx == 0 ? 1 - fx : fx;
                    if (wx == 0) continue;
                    r += wx * wy * wz * at(a, n, x0 + dx, y0 + dy, z0 + dz);
                }
            }
        }
        return r;
    }

    /** Cubic convolution (Keys, a = -0.5), separable over the 4x4x4 neighbourhood. */
    static double cubic(float[] a, int[] n, double x, double y, double z) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y), z0 = (int) Math.floor(z);
        double[] wx = keys(x - x0), wy = keys(y - y0), wz = keys(z - z0);
        double r = 0;
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 4; j++) {
                double wyz = wy[j] * wz[k];
                if (wyz == 0) continue;
                for (int i = 0; i < 4; i++) {
                    r += wx[i] * wyz * at(a, n, x0 - 1 + i, y0 - 1 + j, z0 - 1 + k);
                }
            }
        }
        return r;
    }

    private static double[] keys(double t) {
        double[] w = new double[4];
        double[] d = {1 + t, t, 1 - t, 2 - t};
        for (int i = 0; i < 4; i++) {
            double u = d[i];
            w[i] = u <= 1 ? 1.5 * u * u * u - 2.5 * u * u + 1
                    : u < 2 ? -0.5 * u * u * u + 2.5 * u * u - 4 * u + 2 : 0;
        }
        return w;
    }
}
