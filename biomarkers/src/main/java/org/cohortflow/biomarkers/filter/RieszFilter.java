package org.cohortflow.biomarkers.filter;

import java.util.Arrays;
import java.util.Locale;

/**
 * IBSI 2's Riesz transform of order {@code l = (l1, l2, l3)} applied to the response of a base filter (a LoG
 * or a Simoncelli wavelet): the all-pass "derivative" with frequency response
 * {@code sqrt(|l|! / (l1! l2! l3!)) (-i)^|l| w1^l1 w2^l2 w3^l3 / |w|^|l|} (0 at {@code w = 0}), applied by FFT on
 * the DFT's frequency grid ({@link Spectral}, the base filter's boundary condition). A real image gives a real
 * map, which is the response.
 *
 * @param base the filter whose response is transformed
 * @param order the order along x, y, z (non-negative, not all zero)
 * @param boundary the boundary condition of the transform's FFT
 */
public record RieszFilter(ImageFilter base, int[] order, Boundary boundary) implements ImageFilter {
    public RieszFilter {
        order = order.clone();
        if (order.length != 3) throw new IllegalArgumentException("Riesz order needs 3 values: " + Arrays.toString(order));
        int sum = 0;
        for (int o : order) {
            if (o < 0) throw new IllegalArgumentException("Riesz order must be non-negative: " + Arrays.toString(order));
            sum += o;
        }
        if (sum == 0) throw new IllegalArgumentException("Riesz order must not be all zero");
    }

    @Override
    public int[] order() {
        return order.clone();
    }

    @Override
    public FilterImage apply(FilterImage image) {
        FilterImage b = base.apply(image);
        int total = order[0] + order[1] + order[2];
        double norm = Math.sqrt(factorial(total) / (factorial(order[0]) * factorial(order[1]) * factorial(order[2])));
        // (-i)^total: 1, -i, -1, i
        double pr = new double[] {1, 0, -1, 0}[total % 4], pi = new double[] {0, -1, 0, 1}[total % 4];
        return b.with(Spectral.apply(b, (wx, wy, wz, out) -> {
            double r = Math.sqrt(wx * wx + wy * wy + wz * wz);
            if (r == 0) {
                out[0] = 0;
                out[1] = 0;
                return;
            }
            double m = norm * Math.pow(wx / r, order[0]) * Math.pow(wy / r, order[1]) * Math.pow(wz / r, order[2]);
            out[0] = m * pr;
            out[1] = m * pi;
        }, boundary)[0]);
    }

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) f *= i;
        return f;
    }

    @Override
    public String name() {
        return "riesz_" + order[0] + order[1] + order[2] + "_of_" + base.name() + "_" + boundary.name().toLowerCase(Locale.ROOT);
    }
}
