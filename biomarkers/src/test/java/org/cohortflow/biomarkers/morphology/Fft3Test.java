package org.cohortflow.biomarkers.morphology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every radix and mixed lengths against the DFT's definition, with lines interleaved as the passes use them. */
class Fft3Test {

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 8, 9, 12, 15, 16, 25, 30, 45, 60, 81, 96, 100, 120})
    void lineTransformEqualsTheDefinition(int n) {
        SplittableRandom random = new SplittableRandom(n);
        int width = 3;
        double[] re = new double[n * width], im = new double[n * width];
        for (int i = 0; i < re.length; i++) {
            re[i] = random.nextDouble(-1, 1);
            im[i] = random.nextDouble(-1, 1);
        }
        double[] r0 = re.clone(), i0 = im.clone();
        double[] sre = new double[re.length], sim = new double[re.length];
        boolean swapped = new Fft3.Line(n).transform(re, im, sre, sim, width);
        double[] outRe = swapped ? sre : re, outIm = swapped ? sim : im;
        for (int c = 0; c < width; c++) {
            for (int k = 0; k < n; k++) {
                double sr = 0, si = 0;
                for (int j = 0; j < n; j++) {
                    double a = -2 * Math.PI * ((long) j * k % n) / n;
                    sr += r0[j * width + c] * Math.cos(a) - i0[j * width + c] * Math.sin(a);
                    si += r0[j * width + c] * Math.sin(a) + i0[j * width + c] * Math.cos(a);
                }
                assertEquals(sr, outRe[k * width + c], 1e-11 * n, "re k=" + k);
                assertEquals(si, outIm[k * width + c], 1e-11 * n, "im k=" + k);
            }
        }
    }

    @ParameterizedTest(name = "goodSize({0})")
    @ValueSource(ints = {1, 7, 11, 13, 91, 101, 189, 255})
    void goodSizesAreFiveSmoothAndMinimal(int n) {
        int m = Fft3.goodSize(n);
        int r = m;
        for (int p : new int[] {2, 3, 5}) while (r % p == 0) r /= p;
        assertEquals(1, r);
        for (int k = n; k < m; k++) {
            int q = k;
            for (int p : new int[] {2, 3, 5}) while (q % p == 0) q /= p;
            org.junit.jupiter.api.Assertions.assertNotEquals(1, q, "smaller 5-smooth size " + k);
        }
    }
}
