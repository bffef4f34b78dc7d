package org.cohortflow.biomarkers.filter;

import org.cohortflow.biomarkers.morphology.Fft3;

/**
 * Convolution of every x-y slice with complex 2D kernels, by FFT: for kernels too large to apply voxel by
 * voxel (a Gabor kernel spans up to 81 x 81 voxels). Each slice is padded by the kernels' radius with the
 * {@link Boundary} and up to a size the mixed-radix {@link Fft3} takes, so the circular convolution equals the
 * linear one on the padded slice at every voxel of the image. The slices' spectra are computed once, so
 * several kernels of one radius (a Gabor filter's orientations) cost one inverse transform each.
 */
final class PlaneConvolution {
    private final int nx;
    private final int ny;
    private final int nz;
    private final int r;
    private final int px;
    private final int py;
    private final Fft3 fft;
    private final double[] specRe;
    private final double[] specIm;

    /** Pads and transforms the slices of {@code in} for kernels of radius {@code r}. */
    PlaneConvolution(FilterImage in, int r, Boundary boundary) {
        this.nx = in.nx();
        this.ny = in.ny();
        this.nz = in.nz();
        this.r = r;
        this.px = Fft3.goodSize(nx + 2 * r);
        this.py = Fft3.goodSize(ny + 2 * r);
        this.fft = new Fft3(px, py, nz);
        int plane = px * py;
        specRe = new double[plane * nz];
        specIm = new double[plane * nz];
        double[] src = in.values();
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny + 2 * r; y++) {
                int sy = boundary.index(y - r, ny);
                if (sy < 0) continue;
                for (int x = 0; x < nx + 2 * r; x++) {
                    int sx = boundary.index(x - r, nx);
                    if (sx >= 0) specRe[plane * z + px * y + x] = src[sx + nx * (sy + ny * z)];
                }
            }
        }
        fft.forwardXY(specRe, specIm, px, py, nz);
    }

    /**
     * The complex response of the slices to the kernel {@code k(dx, dy) = kre + i kim} stored at
     * {@code [(dy + r) (2r + 1) + dx + r]}, {@code |dx|, |dy| <= r}: {@code out(p) = sum_d k(d) f(p - d)}.
     *
     * @return {real part, imaginary part}, each x fastest like the image
     */
    double[][] convolve(double[] kre, double[] kim) {
        int side = 2 * r + 1;
        int plane = px * py;
        double[] sre = new double[plane];
        double[] sim = new double[plane];
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int at = Math.floorMod(dx, px) + px * Math.floorMod(dy, py);
                sre[at] = kre[(dy + r) * side + dx + r];
                sim[at] = kim == null ? 0 : kim[(dy + r) * side + dx + r];
            }
        }
        new Fft3(px, py, 1).forwardXY(sre, sim, px, py, 1);
        double[] re = new double[plane * nz];
        double[] im = new double[plane * nz];
        for (int z = 0; z < nz; z++) {
            int o = plane * z;
            for (int i = 0; i < plane; i++) {
                double a = specRe[o + i], b = specIm[o + i];
                re[o + i] = a * sre[i] - b * sim[i];
                im[o + i] = a * sim[i] + b * sre[i];
            }
        }
        fft.inverseXY(re, im);
        double[] outRe = new double[nx * ny * nz];
        double[] outIm = new double[outRe.length];
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
