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
 * pair loop in the tests). Two complex FFTs carry the three data functions ({@code m + i d} and {@code d²}),
 * stored only on the planes that hold data (about half the padded grid); the kernel's transform is real and
 * even and is computed from one octant by cosine transforms; the last (z) pass is fused with the sums.
 * Memory: four double arrays of {@code px * py * nz}, plus an eighth of the padded grid for the kernel.
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
        // Only the bz planes that hold data are stored: the x and y passes keep the other planes zero, and
        // the z pass reads them as zeros.
        int stored = Math.multiplyExact(Math.multiplyExact(px, py), bz);
        double[] are = new double[stored], aim = new double[stored];
        double[] qre = new double[stored], qim = new double[stored];
        for (int k = 0; k < v.n; k++) {
            int i = (v.x[k] - v.lo[0]) + px * ((v.y[k] - v.lo[1]) + py * (v.z[k] - v.lo[2]));
            are[i] = 1;
            aim[i] = v.d[k];
            qre[i] = v.d[k] * v.d[k];
        }
        Fft3 fft = new Fft3(px, py, pz);
        fft.forwardXY(are, aim, bx, by, bz);
        fft.forwardXY(qre, qim, bx, by, bz);
        double[] kHat = kernelSpectrum(fft, bx, by, bz, image.spacing(0), image.spacing(1), image.spacing(2));
        double[] sums = zPassSums(fft, are, aim, qre, qim, kHat, px, py, pz, bz);
        // Parseval's 1/N, then ordered-pair sums: sum w = W, sum w d_i d_j = M, sum w (d_i - d_j)^2 = 2G - 2M,
        // halved to unordered pairs so that ratios() is shared with the pair loop.
        double total = (double) px * py * pz;
        double w = sums[0] / total, m = sums[1] / total, g = sums[2] / total;
        return ratios(v, w / 2, m / 2, g - m);
    }

    /**
     * The transform of {@code K} at the offsets that occur ({@code |δ| < b} per axis, zero elsewhere). K depends
     * only on {@code |δx|, |δy|, |δz|}, so its transform is real, even along every axis and separable into
     * cosine sums along each axis; it is computed from one octant of K for one octant of frequencies,
     * {@code (px/2 + 1) (py/2 + 1) (pz/2 + 1)} values with {@code kx} fastest.
     */
    private static double[] kernelSpectrum(Fft3 fft, int bx, int by, int bz, double sx, double sy, double sz) {
        double[] octant = new double[bx * by * bz];
        for (int dz = 0; dz < bz; dz++) {
            for (int dy = 0; dy < by; dy++) {
                double ryz = (dy * sy) * (dy * sy) + (dz * sz) * (dz * sz);
                int row = bx * (dy + by * dz);
                for (int dx = 0; dx < bx; dx++) {
                    double r2 = (dx * sx) * (dx * sx) + ryz;
                    if (r2 > 0) octant[row + dx] = 1 / Math.sqrt(r2);
                }
            }
        }
        // Each pass transforms along the fastest axis and makes the frequency the slowest one, so after three
        // passes the layout is (kx, ky, kz) again.
        double[] t = evenPass(octant, bx, by, bz, fft.lineX());
        t = evenPass(t, by, bz, fft.lineX().length() / 2 + 1, fft.lineY());
        return evenPass(t, bz, fft.lineX().length() / 2 + 1, fft.lineY().length() / 2 + 1, fft.lineZ());
    }

    /**
     * Transforms the even extensions of the lines along the fastest axis ({@code f(-δ) = f(δ)}, {@code δ < na},
     * placed at {@code δ mod p}); their transforms are real and even, so only {@code k <= p/2} is kept. Lines
     * go in pairs as the real and imaginary parts of one complex transform, whose real and imaginary parts
     * then are the two real transforms.
     *
     * @return values at {@code b + nb * (c + nc * k)}
     */
    private static double[] evenPass(double[] in, int na, int nb, int nc, Fft3.Line line) {
        int p = line.length(), half = p / 2 + 1;
        int lines = nb * nc;
        double[] out = new double[lines * half];
        int width = Fft3.WIDTH;
        Fft3.Block block = new Fft3.Block(p);
        for (int j0 = 0; j0 < lines; j0 += 2 * width) {
            int cw = Math.min(width, (lines - j0 + 1) / 2);
            for (int c = 0; c < cw; c++) {
                int jr = j0 + c, ji = j0 + cw + c;
                for (int t = 0; t < p; t++) {
                    int d = t < na ? t : p - t < na ? p - t : -1;
                    block.re[t * cw + c] = d < 0 ? 0 : in[d + na * jr];
                    block.im[t * cw + c] = d < 0 || ji >= lines ? 0 : in[d + na * ji];
                }
            }
            boolean swapped = line.transform(block.re, block.im, block.sre, block.sim, cw);
            double[] re = block.outRe(swapped), im = block.outIm(swapped);
            for (int c = 0; c < cw; c++) {
                int jr = j0 + c, ji = j0 + cw + c;
                for (int k = 0; k < half; k++) {
                    out[jr + lines * k] = re[k * cw + c];
                    if (ji < lines) out[ji + lines * k] = im[k * cw + c];
                }
            }
        }
        return out;
    }

    /**
     * Finishes both transforms along z and takes the three spectral sums without storing the spectra.
     * Unpacking the two real spectra of {@code m + i d} needs X(k) and X(-k), so each block of z lines is
     * transformed together with the block of its mirrored lines; every term is the same at k and -k, so only
     * one row of each mirrored pair is visited and counted twice. {@code q = d²} is transformed alone, its
     * spectrum read directly.
     */
    private static double[] zPassSums(Fft3 fft, double[] are, double[] aim, double[] qre, double[] qim, double[] kHat,
                                      int px, int py, int pz, int bz) {
        Fft3.Line lz = fft.lineZ();
        int width = Fft3.WIDTH;
        int hx = px / 2 + 1, hy = py / 2 + 1;
        Fft3.Block a = new Fft3.Block(pz), am = new Fft3.Block(pz), q = new Fft3.Block(pz);
        int[] cols = new int[width], mirror = new int[width];
        double w = 0, m = 0, g = 0;
        for (int y = 0; y < py; y++) {
            int yr = (py - y) % py;
            if (yr < y) continue;
            double weight = yr == y ? 1 : 2;
            int ky = Math.min(y, yr);
            for (int x0 = 0; x0 < px; x0 += width) {
                int cw = Math.min(width, px - x0);
                for (int c = 0; c < cw; c++) {
                    cols[c] = x0 + c;
                    mirror[c] = (px - x0 - c) % px;
                }
                gather(are, aim, a, cols, cw, px * y, px * py, bz, pz);
                gather(are, aim, am, mirror, cw, px * yr, px * py, bz, pz);
                gather(qre, qim, q, cols, cw, px * y, px * py, bz, pz);
                boolean sa = lz.transform(a.re, a.im, a.sre, a.sim, cw);
                boolean sam = lz.transform(am.re, am.im, am.sre, am.sim, cw);
                boolean sq = lz.transform(q.re, q.im, q.sre, q.sim, cw);
                double[] ar = a.outRe(sa), ai = a.outIm(sa), arm = am.outRe(sam), aim2 = am.outIm(sam);
                double[] qr = q.outRe(sq), qi = q.outIm(sq);
                double sw = 0, sm = 0, sg = 0;
                for (int z = 0; z < pz; z++) {
                    int zr = (pz - z) % pz;
                    int kRow = hx * (ky + hy * Math.min(z, zr));
                    for (int c = 0; c < cw; c++) {
                        int i = z * cw + c, j = zr * cw + c;
                        double mRe = 0.5 * (ar[i] + arm[j]), mIm = 0.5 * (ai[i] - aim2[j]);
                        double dRe = 0.5 * (ai[i] + aim2[j]), dIm = -0.5 * (ar[i] - arm[j]);
                        double k = kHat[kRow + Math.min(cols[c], mirror[c])];
                        sw += k * (mRe * mRe + mIm * mIm);
                        sm += k * (dRe * dRe + dIm * dIm);
                        sg += k * (qr[i] * mRe + qi[i] * mIm);
                    }
                }
                w += weight * sw;
                m += weight * sm;
                g += weight * sg;
            }
        }
        return new double[] {w, m, g};
    }

    /**
     * Copies the z lines at columns {@code cols} of the row starting at {@code row} into {@code block}; planes
     * from {@code stored} up to {@code pz} are zero.
     */
    private static void gather(double[] re, double[] im, Fft3.Block block, int[] cols, int cw, int row, int plane,
                               int stored, int pz) {
        for (int z = 0; z < stored; z++) {
            int base = row + plane * z;
            for (int c = 0; c < cw; c++) {
                block.re[z * cw + c] = re[base + cols[c]];
                block.im[z * cw + c] = im[base + cols[c]];
            }
        }
        java.util.Arrays.fill(block.re, stored * cw, pz * cw, 0);
        java.util.Arrays.fill(block.im, stored * cw, pz * cw, 0);
    }
}
