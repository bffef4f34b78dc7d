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

    @org.junit.jupiter.api.Test
    void theThreeDimensionalTransformEqualsTheDefinitionAndTheInverseRestoresTheData() {
        int px = 6, py = 5, pz = 4;
        SplittableRandom random = new SplittableRandom(7);
        double[] re = new double[px * py * pz], im = new double[re.length];
        for (int i = 0; i < re.length; i++) {
            re[i] = random.nextDouble(-1, 1);
            im[i] = random.nextDouble(-1, 1);
        }
        double[] r0 = re.clone(), i0 = im.clone();
        Fft3 fft = new Fft3(px, py, pz);
        fft.forward(re, im);
        for (int k = 0; k < re.length; k++) {
            int kx = k % px, ky = (k / px) % py, kz = k / (px * py);
            double sr = 0, si = 0;
            for (int j = 0; j < re.length; j++) {
                int x = j % px, y = (j / px) % py, z = j / (px * py);
                double a = -2 * Math.PI * ((double) x * kx / px + (double) y * ky / py + (double) z * kz / pz);
                sr += r0[j] * Math.cos(a) - i0[j] * Math.sin(a);
                si += r0[j] * Math.sin(a) + i0[j] * Math.cos(a);
            }
            assertEquals(sr, re[k], 1e-10, "re k=" + k);
            assertEquals(si, im[k], 1e-10, "im k=" + k);
        }
        fft.inverse(re, im);
        for (int j = 0; j < re.length; j++) {
            assertEquals(r0[j], re[j], 1e-12);
            assertEquals(i0[j], im[j], 1e-12);
        }
    }
}
