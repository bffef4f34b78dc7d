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
 * axis (so no offset wraps around; rounded up to a 5-smooth size for the mixed-radix {@link Fft3}). This is
 * the same sum, not an approximation: the only difference
 * from the literal pair loop is floating-point rounding (relative 1e-12 or better, checked against the
 * pair loop in the tests). Two complex FFTs carry the four real functions ({@code m + i d} and
 * {@code d² + i K}); the last (z) pass is fused with the sums. Memory: four double arrays of the padded size.
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
        int px = Fft3.goodSize(2 * bx - 1);
        int py = Fft3.goodSize(2 * by - 1);
        int pz = Fft3.goodSize(2 * bz - 1);
        int total = Math.multiplyExact(Math.multiplyExact(px, py), pz);
        double[] are = new double[total], aim = new double[total];
        double[] bre = new double[total], bim = new double[total];
        for (int k = 0; k < v.n; k++) {
            int i = (v.x[k] - v.lo[0]) + px * ((v.y[k] - v.lo[1]) + py * (v.z[k] - v.lo[2]));
            are[i] = 1;
            aim[i] = v.d[k];
            bre[i] = v.d[k] * v.d[k];
        }
        // K at the offsets that occur, each offset stored at its wrapped index; zero elsewhere. K is even
        // along every axis, so one octant of square roots serves all eight.
        double sx = image.spacing(0), sy = image.spacing(1), sz = image.spacing(2);
        for (int dz = 0; dz < bz; dz++) {
            int[] zs = {dz, (pz - dz) % pz};
            for (int dy = 0; dy < by; dy++) {
                int[] ys = {dy, (py - dy) % py};
                double ryz = (dy * sy) * (dy * sy) + (dz * sz) * (dz * sz);
                for (int dx = 0; dx < bx; dx++) {
                    double r2 = (dx * sx) * (dx * sx) + ryz;
                    if (r2 == 0) continue;
                    double k = 1 / Math.sqrt(r2);
                    int xm = (px - dx) % px;
                    for (int iz : zs) {
                        for (int iy : ys) {
                            int row = px * (iy + py * iz);
                            bim[row + dx] = k;
                            bim[row + xm] = k;
                        }
                    }
                }
            }
        }
        Fft3 fft = new Fft3(px, py, pz);
        fft.forwardXY(are, aim, bx, by, bz);
        fft.forwardXY(bre, bim, px, py, pz);
        double[] sums = zPassSums(fft, are, aim, bre, bim, px, py, pz);
        // Parseval's 1/N, then ordered-pair sums: sum w = W, sum w d_i d_j = M, sum w (d_i - d_j)^2 = 2G - 2M,
        // halved to unordered pairs so that ratios() is shared with the pair loop.
        double w = sums[0] / total, m = sums[1] / total, g = sums[2] / total;
        return ratios(v, w / 2, m / 2, g - m);
    }

    /**
     * Finishes both transforms along z and takes the three spectral sums without storing the spectra.
     * Unpacking the two real spectra of a transform needs X(k) and X(-k), so each block of z lines is
     * transformed together with the block of its mirrored lines; a row and its mirror row give the same
     * terms, so only one of each pair is visited and counted twice.
     */
    private static double[] zPassSums(Fft3 fft, double[] are, double[] aim, double[] bre, double[] bim,
                                      int px, int py, int pz) {
        Fft3.Line lz = fft.lineZ();
        int width = Fft3.WIDTH;
        Fft3.Block a = new Fft3.Block(pz), b = new Fft3.Block(pz), am = new Fft3.Block(pz), bm = new Fft3.Block(pz);
        int[] cols = new int[width], mirror = new int[width];
        double w = 0, m = 0, g = 0;
        for (int y = 0; y < py; y++) {
            int yr = (py - y) % py;
            if (yr < y) continue;
            double weight = yr == y ? 1 : 2;
            for (int x0 = 0; x0 < px; x0 += width) {
                int cw = Math.min(width, px - x0);
                for (int c = 0; c < cw; c++) {
                    cols[c] = x0 + c;
                    mirror[c] = (px - x0 - c) % px;
                }
                gather(are, aim, a, cols, cw, px * y, px * py, pz);
                gather(bre, bim, b, cols, cw, px * y, px * py, pz);
                gather(are, aim, am, mirror, cw, px * yr, px * py, pz);
                gather(bre, bim, bm, mirror, cw, px * yr, px * py, pz);
                boolean sa = lz.transform(a.re, a.im, a.sre, a.sim, cw);
                boolean sb = lz.transform(b.re, b.im, b.sre, b.sim, cw);
                boolean sam = lz.transform(am.re, am.im, am.sre, am.sim, cw);
                boolean sbm = lz.transform(bm.re, bm.im, bm.sre, bm.sim, cw);
                double[] ar = a.outRe(sa), ai = a.outIm(sa), br = b.outRe(sb), bi = b.outIm(sb);
                double[] arm = am.outRe(sam), aim2 = am.outIm(sam), brm = bm.outRe(sbm), bim2 = bm.outIm(sbm);
                double sw = 0, sm = 0, sg = 0;
                for (int z = 0; z < pz; z++) {
                    int zr = (pz - z) % pz;
                    for (int c = 0; c < cw; c++) {
                        int i = z * cw + c, j = zr * cw + c;
                        double mRe = 0.5 * (ar[i] + arm[j]), mIm = 0.5 * (ai[i] - aim2[j]);
                        double dRe = 0.5 * (ai[i] + aim2[j]), dIm = -0.5 * (ar[i] - arm[j]);
                        double qRe = 0.5 * (br[i] + brm[j]), qIm = 0.5 * (bi[i] - bim2[j]);
                        double kHat = 0.5 * (bi[i] + bim2[j]);
                        sw += kHat * (mRe * mRe + mIm * mIm);
                        sm += kHat * (dRe * dRe + dIm * dIm);
                        sg += kHat * (qRe * mRe + qIm * mIm);
                    }
                }
                w += weight * sw;
                m += weight * sm;
                g += weight * sg;
            }
        }
        return new double[] {w, m, g};
    }

    /** Copies the z lines at columns {@code cols} of the row starting at {@code row} into {@code block}. */
    private static void gather(double[] re, double[] im, Fft3.Block block, int[] cols, int cw, int row, int plane,
                               int pz) {
        for (int z = 0; z < pz; z++) {
            int base = row + plane * z;
            for (int c = 0; c < cw; c++) {
                block.re[z * cw + c] = re[base + cols[c]];
                block.im[z * cw + c] = im[base + cols[c]];
            }
        }
    }
}
