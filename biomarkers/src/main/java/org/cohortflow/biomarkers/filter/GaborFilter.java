package org.cohortflow.biomarkers.filter;

import java.util.List;
import java.util.Locale;

/**
 * IBSI 2's Gabor filter, a 2D filter: the modulus of the response to
 * {@code h(x, y) = exp(-(u^2 / sigma_x^2 + v^2 / sigma_y^2) / 2) exp(2 pi i u / lambda)}
 * with {@code u = x cos(theta) + y sin(theta)}, {@code v = -x sin(theta) + y cos(theta)}, {@code sigma_x = sigma}
 * and {@code sigma_y = sigma / gamma}; scale and wavelength in mm, converted to voxels with the in-plane spacing.
 * The kernel is cut at {@code 1 + 2 floor(4 max(sigma_x, sigma_y) + 0.5)} voxels per side (beyond, the Gaussian
 * is below {@code e^-8} of its peak). With several orientations the moduli are pooled; with {@code orthogonalPlanes}
 * the (pooled) map is computed in the x-y, x-z and y-z planes and averaged, as IBSI's rotation invariant 3D
 * use of the 2D filter has it.
 *
 * @param sigmaMm the Gaussian's scale in mm
 * @param lambdaMm the wavelength in mm
 * @param gamma the spatial aspect ratio
 * @param thetas the orientations in radians (one: no pooling)
 * @param pooling how orientations are pooled (ignored for one orientation)
 * @param orthogonalPlanes whether to average over the three orthogonal planes
 * @param boundary the boundary condition
 */
public record GaborFilter(double sigmaMm, double lambdaMm, double gamma, List<Double> thetas, Pooling pooling,
                          boolean orthogonalPlanes, Boundary boundary) implements ImageFilter {
    /** The kernel's half-width in scales. */
    static final double CUTOFF = 4;

    public GaborFilter {
        thetas = List.copyOf(thetas);
        if (!(sigmaMm > 0) || !(lambdaMm > 0) || !(gamma > 0)) {
            throw new IllegalArgumentException("Gabor sigma, lambda and gamma must be positive");
        }
        if (thetas.isEmpty()) throw new IllegalArgumentException("Gabor filter needs at least one orientation");
    }

    /** Orientations {@code 0, step, 2 step, ...} below pi (the modulus repeats with period pi). */
    public static List<Double> orientations(double step) {
        int n = (int) Math.round(Math.PI / step);
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) out.add(i * step);
        return out;
    }

    @Override
    public FilterImage apply(FilterImage image) {
        if (!orthogonalPlanes) return inPlane(image);
        double[] sum = new double[image.values().length];
        // Each plane's in-plane axes become x and y; the result is put back in the image's axis order.
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 2, 0}};
        for (int[] order : orders) {
            double[] v = Axes.permuteBack(inPlane(Axes.permute(image, order)), order).values();
            for (int i = 0; i < sum.length; i++) sum[i] += v[i];
        }
        for (int i = 0; i < sum.length; i++) sum[i] /= orders.length;
        return image.with(sum);
    }

    private FilterImage inPlane(FilterImage image) {
        Pooling.Accumulator acc = (pooling == null ? Pooling.AVERAGE : pooling).accumulator(image.values().length);
        PlaneConvolution slices = new PlaneConvolution(image, radius(image), boundary);
        for (double theta : thetas) acc.add(modulus(image, slices, theta));
        return image.with(acc.result());
    }

    /** The kernel's half-width in voxels: {@code floor(4 max(sigma, sigma / gamma) / spacing + 0.5)}. */
    private int radius(FilterImage image) {
        return (int) Math.floor(CUTOFF * Math.max(sigmaMm, sigmaMm / gamma) / Math.min(image.spacing(0), image.spacing(1)) + 0.5);
    }

    private double[] modulus(FilterImage image, PlaneConvolution slices, double theta) {
        // Kernel coordinates in mm, so anisotropic in-plane spacing is handled. No normalisation: the kernel's
        // peak is 1, as in IBSI's reference maps (with the 1 / (2 pi sigma_x sigma_y) of the manual's formula
        // they come out 314 and 251 times too small).
        double hx = image.spacing(0), hy = image.spacing(1);
        double sigmaU = sigmaMm, sigmaV = sigmaMm / gamma;
        int r = radius(image);
        int side = 2 * r + 1;
        double[] kre = new double[side * side];
        double[] kim = new double[side * side];
        double c = Math.cos(theta), s = Math.sin(theta);
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                double x = dx * hx, y = dy * hy;
                double u = x * c + y * s, v = -x * s + y * c;
                double g = Math.exp(-0.5 * (u * u / (sigmaU * sigmaU) + v * v / (sigmaV * sigmaV)));
                double phase = 2 * Math.PI * u / lambdaMm;
                kre[(dy + r) * side + dx + r] = g * Math.cos(phase);
                kim[(dy + r) * side + dx + r] = g * Math.sin(phase);
            }
        }
        double[][] resp = slices.convolve(kre, kim);
        double[] out = new double[resp[0].length];
        for (int i = 0; i < out.length; i++) out[i] = Math.hypot(resp[0][i], resp[1][i]);
        return out;
    }

    @Override
    public String name() {
        StringBuilder t = new StringBuilder();
        for (double th : thetas) t.append(t.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4g", Math.toDegrees(th)));
        return String.format(Locale.ROOT, "gabor_s%smm_l%smm_g%s_th%s%s%s_%s", LaplacianOfGaussian.trim(sigmaMm),
                LaplacianOfGaussian.trim(lambdaMm), LaplacianOfGaussian.trim(gamma), t,
                thetas.size() > 1 && pooling != null ? "_" + pooling.name().toLowerCase(Locale.ROOT) + "pool" : "",
                orthogonalPlanes ? "_3planes" : "", boundary.name().toLowerCase(Locale.ROOT));
    }
}
