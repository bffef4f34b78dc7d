package org.cohortflow.biomarkers.filter;

import org.cohortflow.biomarkers.morphology.Fft3;

/**
 * Filters defined by their frequency response (Simoncelli wavelets, Riesz transforms), applied with the
 * existing {@link Fft3}. A periodic boundary is what the DFT does by itself; any other boundary condition
 * pads each axis by half its size on both sides (with the condition), rounded up to a size {@link Fft3} takes,
 * so that the filter's (infinite, but fast decaying) kernel sees the padded image rather than the wrapped one.
 */
final class Spectral {
    private Spectral() {
    }

    /** A frequency response at angular frequencies {@code wx, wy, wz} in {@code [-pi, pi)} (radians per voxel). */
    interface Response {
        /** Writes the response's real and imaginary parts into {@code out[0]}, {@code out[1]}. */
        void at(double wx, double wy, double wz, double[] out);
    }

    /** The complex response map of {@code image}: {real part, imaginary part}. */
    static double[][] apply(FilterImage image, Response response, Boundary boundary) {
        return apply(image, false, response, boundary);
    }

    /**
     * As {@link #apply(FilterImage, Response, Boundary)}; with {@code endpoints} the response is sampled on the
     * grid of {@code n} points from {@code -pi} to {@code pi} inclusive (see {@link SimoncelliFilter}) rather
     * than at the DFT's frequencies.
     */
    static double[][] apply(FilterImage image, boolean endpoints, Response response, Boundary boundary) {
        int nx = image.nx(), ny = image.ny(), nz = image.nz();
        boolean periodic = boundary == Boundary.PERIODIC;
        int rx = periodic ? 0 : nx / 2, ry = periodic ? 0 : ny / 2, rz = periodic ? 0 : nz / 2;
        int px = Fft3.goodSize(nx + 2 * rx), py = Fft3.goodSize(ny + 2 * ry), pz = Fft3.goodSize(nz + 2 * rz);
        double[] re = new double[px * py * pz];
        double[] im = new double[re.length];
        double[] src = image.values();
        // Padded index p holds image index p - r mapped by the boundary; for a periodic boundary the sizes are
        // the image's own unless they needed rounding up, in which case the padding is periodic too.
        for (int z = 0; z < pz; z++) {
            int sz = boundary.index(z - rz, nz);
            if (sz < 0) continue;
            for (int y = 0; y < py; y++) {
                int sy = boundary.index(y - ry, ny);
                if (sy < 0) continue;
                for (int x = 0; x < px; x++) {
                    int sx = boundary.index(x - rx, nx);
                    if (sx >= 0) re[x + px * (y + py * z)] = src[sx + nx * (sy + ny * sz)];
                }
            }
        }
        Fft3 fft = new Fft3(px, py, pz);
        fft.forward(re, im);
        double[] h = new double[2];
        for (int z = 0; z < pz; z++) {
            double wz = endpoints ? omegaE(z, pz) : omega(z, pz);
            for (int y = 0; y < py; y++) {
                double wy = endpoints ? omegaE(y, py) : omega(y, py);
                for (int x = 0; x < px; x++) {
                    response.at(endpoints ? omegaE(x, px) : omega(x, px), wy, wz, h);
                    int i = x + px * (y + py * z);
                    double a = re[i], b = im[i];
                    re[i] = a * h[0] - b * h[1];
                    im[i] = a * h[1] + b * h[0];
                }
            }
        }
        fft.inverse(re, im);
        double[] outRe = new double[src.length];
        double[] outIm = new double[src.length];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int from = (x + rx) + px * ((y + ry) + py * (z + rz));
                    outRe[x + nx * (y + ny * z)] = re[from];
                    outIm[x + nx * (y + ny * z)] = im[from];
                }
            }
        }
        return new double[][] {outRe, outIm};
    }

    /** Bin {@code k} (DFT order) on the grid of {@code n} points from -pi to pi inclusive, centred at bin 0. */
    static double omegaE(int k, int n) {
        return -Math.PI + Math.floorMod(k + n / 2, n) * 2 * Math.PI / (n - 1);
    }

    /** The angular frequency of DFT bin {@code k} of {@code n}, in {@code [-pi, pi)}. */
    static double omega(int k, int n) {
        return 2 * Math.PI * (k < (n + 1) / 2 ? k : k - n) / n;
    }
}
