package org.cohortflow.biomarkers.filter;

import java.util.Locale;

/**
 * IBSI 2's Laplacian of Gaussian: {@code sum_a g''(x_a) prod_{b != a} g(x_b)} with {@code g} the normalised
 * Gaussian of scale {@code sigma}, sampled at whole voxels. The scale is given in mm and converted to voxels
 * per axis with the spacing ({@code sigma / spacing}), so the response is the Laplacian in voxel units, as
 * IBSI's reference maps have it. The kernel is cut at {@code cutoff} scales: {@code 1 + 2 floor(d sigma + 0.5)}
 * voxels per axis (IBSI's {@code M}). It is a sum of separable kernels, applied as such (exact for every
 * boundary condition, see {@link Boundary}).
 *
 * @param sigmaMm the scale in mm
 * @param cutoff the kernel's half-width in scales (IBSI's {@code d}, 4 in phase 1)
 * @param planar true for the 2D filter in each slice
 * @param boundary the boundary condition
 */
public record LaplacianOfGaussian(double sigmaMm, double cutoff, boolean planar, Boundary boundary) implements ImageFilter {
    public LaplacianOfGaussian {
        if (!(sigmaMm > 0)) throw new IllegalArgumentException("LoG sigma must be positive: " + sigmaMm);
        if (!(cutoff > 0)) throw new IllegalArgumentException("LoG cutoff must be positive: " + cutoff);
    }

    @Override
    public FilterImage apply(FilterImage image) {
        int axes = planar ? 2 : 3;
        double[][] g = new double[axes][];
        double[][] g2 = new double[axes][];
        for (int a = 0; a < axes; a++) {
            double s = sigmaMm / image.spacing(a);
            int r = (int) Math.floor(cutoff * s + 0.5);
            g[a] = new double[2 * r + 1];
            g2[a] = new double[2 * r + 1];
            for (int i = -r; i <= r; i++) {
                double v = Math.exp(-i * (double) i / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
                g[a][i + r] = v;
                g2[a][i + r] = (i * (double) i / (s * s * s * s) - 1 / (s * s)) * v;
            }
        }
        double[] sum = new double[image.values().length];
        for (int a = 0; a < axes; a++) {
            double[][] k = new double[3][];
            for (int b = 0; b < axes; b++) k[b] = b == a ? g2[b] : g[b];
            double[] term = Convolution.separable(image, k, boundary).values();
            for (int i = 0; i < sum.length; i++) sum[i] += term[i];
        }
        return image.with(sum);
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "log_%s_s%smm_d%s_%s", planar ? "2D" : "3D", trim(sigmaMm), trim(cutoff),
                boundary.name().toLowerCase(Locale.ROOT));
    }

    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
