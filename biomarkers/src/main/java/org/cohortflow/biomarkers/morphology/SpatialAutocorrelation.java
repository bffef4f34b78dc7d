package org.cohortflow.biomarkers.morphology;

import org.cohortflow.biomarkers.image.RoiImage;

/**
 * Moran's I and Geary's C (IBSI 3.1.24, 3.1.25) over all pairs of intensity-mask voxels with
 * inverse-distance weights, computed exactly.
 *
 * <p>The pair sums are quadratic in the voxel count when taken literally (tens of seconds for a
 * 50,000-voxel ROI), so for all but small ROIs they are evaluated as convolutions instead: with
 * {@code m} the mask, {@code d} the centred intensities (0 outside) and {@code K(δ) = 1/|δ|}
 * ({@code K(0) = 0}), the sums over ordered pairs are
 * {@code W = <m, K*m>}, {@code M = <d, K*d>} and {@code G = <d², K*m>}, and by Parseval each is
 * {@code (1/N) Σ_k K̂(k) · conj(F̂(k)) Ĝ(k)} on a grid zero-padded to at least {@code 2n - 1} voxels per
 * axis (so no offset wraps around). This is the same sum, not an approximation: the only difference
 * from the literal pair loop is floating-point rounding (relative 1e-12 or better, checked against the
 * pair loop in the tests). Two complex FFTs carry the four real functions ({@code m + i d} and
 * {@code d² + i K}). Memory: four double arrays of the padded size.
 */
final class SpatialAutocorrelation {
    /** Below this many voxel pairs the literal pair loop is cheaper than the transforms. */
    private static final long PAIR_LOOP_LIMIT = 2_000_000;

    private SpatialAutocorrelation() {
    }

    /** @return {@code {Moran's I, Geary's C}}, NaN for fewer than two voxels */
    static double[] compute(RoiImage image) {
        Voxels v = Voxels.of(image);
        if (v.n < 2) return new double[] {Double.NaN, Double.NaN};
        return (long) v.n * (v.n - 1) / 2 <= PAIR_LOOP_LIMIT ? pairLoop(v, image) : transforms(v, image);
    }

    /** The literal definition; kept for small ROIs and as the reference in tests. */
    static double[] pairLoop(RoiImage image) {
        Voxels v = Voxels.of(image);
        if (v.n < 2) return new double[] {Double.NaN, Double.NaN};
        return pairLoop(v, image);
    }

    /** The convolution form; exposed for tests. */
    static double[] transforms(RoiImage image) {
        Voxels v = Voxels.of(image);
        if (v.n < 2) return new double[] {Double.NaN, Double.NaN};
        return transforms(v, image);
    }

    /** Intensity-mask voxels inside their bounding box, with centred intensities. */
    private record Voxels(int n, int[] lo, int[] size, int[] x, int[] y, int[] z, double[] d, double denom) {
        static Voxels of(RoiImage image) {
            int n = image.intensityMaskCount();
            int[] xs = new int[n], ys = new int[n], zs = new int[n];
            double[] d = new double[n];
            int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
            int[] hi = {-1, -1, -1};
            int k = 0;
            double mean = 0;
            for (int zz = 0; zz < image.nz(); zz++) {
                for (int yy = 0; yy < image.ny(); yy++) {
                    for (int xx = 0; xx < image.nx(); xx++) {
                        int i = image.index(xx, yy, zz);
                        if (!image.inIntensityMask(i)) continue;
                        xs[k] = xx;
                        ys[k] = yy;
                        zs[k] = zz;
                        d[k] = image.intensity(i);
                        mean += d[k];
                        lo[0] = Math.min(lo[0], xx); hi[0] = Math.max(hi[0], xx);
                        lo[1] = Math.min(lo[1], yy); hi[1] = Math.max(hi[1], yy);
                        lo[2] = Math.min(lo[2], zz); hi[2] = Math.max(hi[2], zz);
                        k++;
                    }
                }
            }
            mean = n == 0 ? 0 : mean / n;
            double denom = 0;
            for (int i = 0; i < n; i++) {
                d[i] -= mean;
                denom += d[i] * d[i];
            }
            int[] size = {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
            return new Voxels(n, lo, size, xs, ys, zs, d, denom);
        }
    }

    private static double[] pairLoop(Voxels v, RoiImage image) {
        double sx = image.spacing(0), sy = image.spacing(1), sz = image.spacing(2);
        double wSum = 0, moran = 0, geary = 0;
        for (int i = 0; i < v.n; i++) {
            double di = v.d[i];
            for (int j = i + 1; j < v.n; j++) {
                double dx = (v.x[i] - v.x[j]) * sx, dy = (v.y[i] - v.y[j]) * sy, dz = (v.z[i] - v.z[j]) * sz;
                double w = 1 / Math.sqrt(dx * dx + dy * dy + dz * dz);
                wSum += w;
                moran += w * di * v.d[j];
                double diff = di - v.d[j];
                geary += w * diff * diff;
            }
        }
        // Unordered pairs: the factor 2 of the ordered sums cancels in both ratios.
        return ratios(v, wSum, moran, geary);
    }

    private static double[] ratios(Voxels v, double wSum, double moran, double geary) {
        return new double[] {v.n / wSum * moran / v.denom, (v.n - 1) * geary / (2 * wSum * v.denom)};
    }

    private static double[] transforms(Voxels v, RoiImage image) {
        int bx = v.size[0], by = v.size[1], bz = v.size[2];
        int px = Fft3.powerOfTwoAtLeast(2 * bx - 1);
        int py = Fft3.powerOfTwoAtLeast(2 * by - 1);
        int pz = Fft3.powerOfTwoAtLeast(2 * bz - 1);
        int total = Math.multiplyExact(Math.multiplyExact(px, py), pz);
        double[] are = new double[total], aim = new double[total];
        double[] bre = new double[total], bim = new double[total];
        for (int k = 0; k < v.n; k++) {
            int i = (v.x[k] - v.lo[0]) + px * ((v.y[k] - v.lo[1]) + py * (v.z[k] - v.lo[2]));
            are[i] = 1;
            aim[i] = v.d[k];
            bre[i] = v.d[k] * v.d[k];
        }
        // K at the offsets that occur, each offset stored at its wrapped index; zero elsewhere.
        double sx = image.spacing(0), sy = image.spacing(1), sz = image.spacing(2);
        for (int dz = -(bz - 1); dz < bz; dz++) {
            int iz = Math.floorMod(dz, pz);
            for (int dy = -(by - 1); dy < by; dy++) {
                int iy = Math.floorMod(dy, py);
                double ryz = (dy * sy) * (dy * sy) + (dz * sz) * (dz * sz);
                int row = px * (iy + py * iz);
                for (int dx = -(bx - 1); dx < bx; dx++) {
                    double r2 = (dx * sx) * (dx * sx) + ryz;
                    if (r2 > 0) bim[row + Math.floorMod(dx, px)] = 1 / Math.sqrt(r2);
                }
            }
        }
        Fft3 fft = new Fft3(px, py, pz);
        fft.forward(are, aim, by, bz);
        fft.forward(bre, bim, py, pz);
        // Unpack the two real spectra of each transform from X(k) and conj(X(-k)).
        double w = 0, m = 0, g = 0;
        for (int z = 0; z < pz; z++) {
            int zr = (pz - z) & (pz - 1);
            for (int y = 0; y < py; y++) {
                int yr = (py - y) & (py - 1);
                int row = px * (y + py * z), rowR = px * (yr + py * zr);
                for (int x = 0; x < px; x++) {
                    int i = row + x, j = rowR + ((px - x) & (px - 1));
                    double mRe = 0.5 * (are[i] + are[j]), mIm = 0.5 * (aim[i] - aim[j]);
                    double dRe = 0.5 * (aim[i] + aim[j]), dIm = -0.5 * (are[i] - are[j]);
                    double qRe = 0.5 * (bre[i] + bre[j]), qIm = 0.5 * (bim[i] - bim[j]);
                    double kHat = 0.5 * (bim[i] + bim[j]);
                    w += kHat * (mRe * mRe + mIm * mIm);
                    m += kHat * (dRe * dRe + dIm * dIm);
                    g += kHat * (qRe * mRe + qIm * mIm);
                }
            }
        }
        // Parseval's 1/N, then ordered-pair sums: sum w = W, sum w d_i d_j = M, sum w (d_i - d_j)^2 = 2G - 2M,
        // halved to unordered pairs so that ratios() is shared with the pair loop.
        w /= total;
        m /= total;
        g /= total;
        return ratios(v, w / 2, m / 2, g - m);
    }
}
