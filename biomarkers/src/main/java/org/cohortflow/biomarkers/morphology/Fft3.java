package org.cohortflow.biomarkers.morphology;

/**
 * In-place 3-D complex FFT (radix 2) on separate real and imaginary arrays, x fastest. Only what
 * {@link SpatialAutocorrelation} needs: forward transforms of zero-padded data, where lines that are
 * known to be all zero are skipped (the data occupies the low corner of the padded grid).
 */
final class Fft3 {
    private final int px;
    private final int py;
    private final int pz;
    private final Line lx;
    private final Line ly;
    private final Line lz;

    /** @param px grid size along x, a power of two (likewise {@code py}, {@code pz}) */
    Fft3(int px, int py, int pz) {
        this.px = px;
        this.py = py;
        this.pz = pz;
        lx = new Line(px);
        ly = py == px ? lx : new Line(py);
        lz = pz == px ? lx : pz == py ? ly : new Line(pz);
    }

    /** Smallest power of two that is at least {@code n}. */
    static int powerOfTwoAtLeast(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /**
     * Forward transform of {@code re + i im}, which must be zero outside {@code y < ny, z < nz} (pass the
     * full sizes when nothing is known).
     */
    void forward(double[] re, double[] im, int ny, int nz) {
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                lx.transform(re, im, px * (y + py * z), 1, 1);
            }
        }
        // The y and z passes transform whole rows of x at once: a strided line-by-line pass would miss
        // the cache on every element once a plane exceeds the cache.
        if (py > 1) {
            for (int z = 0; z < nz; z++) {
                ly.transform(re, im, px * py * z, px, px);
            }
        }
        if (pz > 1) {
            for (int y = 0; y < py; y++) {
                lz.transform(re, im, px * y, px * py, px);
            }
        }
    }

    /** Iterative radix-2 transform of one length; twiddles computed once, not by recurrence, for accuracy. */
    private static final class Line {
        private final int n;
        private final int[] reverse;
        private final double[] cos;
        private final double[] sin;

        Line(int n) {
            this.n = n;
            reverse = new int[n];
            int bits = Integer.numberOfTrailingZeros(n);
            for (int i = 0; i < n; i++) reverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
            cos = new double[n / 2];
            sin = new double[n / 2];
            for (int k = 0; k < n / 2; k++) {
                cos[k] = Math.cos(2 * Math.PI * k / n);
                sin[k] = -Math.sin(2 * Math.PI * k / n);
            }
        }

        /**
         * Transforms {@code width} interleaved lines at once: element {@code k} of line {@code c} is at
         * {@code offset + k * stride + c}.
         */
        void transform(double[] re, double[] im, int offset, int stride, int width) {
            for (int i = 0; i < n; i++) {
                int j = reverse[i];
                if (j > i) {
                    int a = offset + i * stride, b = offset + j * stride;
                    for (int c = 0; c < width; c++) {
                        double t = re[a + c]; re[a + c] = re[b + c]; re[b + c] = t;
                        t = im[a + c]; im[a + c] = im[b + c]; im[b + c] = t;
                    }
                }
            }
            for (int size = 2; size <= n; size <<= 1) {
                int half = size >> 1;
                int step = n / size;
                for (int start = 0; start < n; start += size) {
                    for (int k = 0, t = 0; k < half; k++, t += step) {
                        int a = offset + (start + k) * stride, b = a + half * stride;
                        double wr = cos[t], wi = sin[t];
                        for (int c = 0; c < width; c++) {
                            double xr = re[b + c] * wr - im[b + c] * wi;
                            double xi = re[b + c] * wi + im[b + c] * wr;
                            re[b + c] = re[a + c] - xr;
                            im[b + c] = im[a + c] - xi;
                            re[a + c] += xr;
                            im[a + c] += xi;
                        }
                    }
                }
            }
        }
    }
}
