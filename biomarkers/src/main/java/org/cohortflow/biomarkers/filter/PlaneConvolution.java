package org.cohortflow.biomarkers.filter;

import org.cohortflow.biomarkers.morphology.Fft3;

/**
 * Convolution of every x-y slice with one complex 2D kernel, by FFT: for kernels too large to apply voxel by
 * voxel (a Gabor kernel spans up to 81 x 81 voxels). Each slice is padded by the kernel's radius with the
 * {@link Boundary} and up to a size the mixed-radix {@link Fft3} takes, so the circular convolution equals the
 * linear one on the padded slice at every voxel of the image.
 */
final class PlaneConvolution {
    private PlaneConvolution() {
    }

    /**
     * The complex response of {@code in}'s slices to the kernel {@code k(dx, dy) = kre + i kim} at
     * {@code [(dy + r) (2r + 1) + dx + r]}, {@code |dx|, |dy| <= r}: {@code out(p) = sum_d k(d) f(p - d)}.
     *
     * @return {real part, imaginary part}, each x fastest like {@code in}
     */
    static double[][] convolve(FilterImage in, double[] kre, double[] kim, int r, Boundary boundary) {
        int nx = in.nx(), ny = in.ny(), nz = in.nz();
        int px = Fft3.goodSize(nx + 2 * r), py = Fft3.goodSize(ny + 2 * r);
        int side = 2 * r + 1;
        Fft3 fft = new Fft3(px, py, nz);
        int plane = px * py;
        double[] re = new double[plane * nz];
        double[] im = new double[plane * nz];
        double[] src = in.values();
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny + 2 * r; y++) {
                int sy = boundary.index(y - r, ny);
                if (sy < 0) continue;
                for (int x = 0; x < nx + 2 * r; x++) {
                    int sx = boundary.index(x - r, nx);
                    if (sx >= 0) re[plane * z + px * y + x] = src[sx + nx * (sy + ny * z)];
                }
            }
        }
        Fft3 kfft = new Fft3(px, py, 1);
        double[] sre = new double[plane];
        double[] sim = new double[plane];
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int at = Math.floorMod(dx, px) + px * Math.floorMod(dy, py);
                sre[at] = kre[(dy + r) * side + dx + r];
                sim[at] = kim == null ? 0 : kim[(dy + r) * side + dx + r];
            }
        }
        kfft.forwardXY(sre, sim, px, py, 1);
        fft.forwardXY(re, im, px, py, nz);
        for (int z = 0; z < nz; z++) {
            int o = plane * z;
            for (int i = 0; i < plane; i++) {
                double a = re[o + i], b = im[o + i];
                re[o + i] = a * sre[i] - b * sim[i];
                im[o + i] = a * sim[i] + b * sre[i];
            }
        }
        fft.inverseXY(re, im);
        double[] outRe = new double[src.length];
        double[] outIm = new double[src.length];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int from = plane * z + px * (y + r) + x + r;
                    outRe[x + nx * (y + ny * z)] = re[from];
                    outIm[x + nx * (y + ny * z)] = im[from];
                }
            }
        }
        return new double[][] {outRe, outIm};
    }
}
