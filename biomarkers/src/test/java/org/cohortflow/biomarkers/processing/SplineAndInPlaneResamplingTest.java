package org.cohortflow.biomarkers.processing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.settings.Resampling;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.junit.jupiter.api.Test;

/** The B-spline interpolation of IBSI configuration E and the in-plane resampling of configuration B. */
class SplineAndInPlaneResamplingTest {

    /** A cubic polynomial in the voxel indices, which cubic B-spline interpolation reproduces exactly. */
    private static double cubic(double x, double y, double z) {
        return 0.02 * x * x * x - 0.3 * x * y + 0.5 * y * y - 0.01 * z * z * z + 2 * z + 7;
    }

    private static RoiImage polynomialImage(int n, double[] spacing) {
        float[] v = new float[n * n * n];
        boolean[] m = new boolean[n * n * n];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    v[x + n * (y + n * z)] = (float) cubic(x, y, z);
                }
            }
        }
        // A small ROI in the middle, far from the edges, where the boundary condition has decayed.
        int c = n / 2;
        m[c + n * (c + n * c)] = true;
        return RoiImage.of(new int[] {n, n, n}, spacing, v, m);
    }

    @Test
    void splinePassesThroughEveryVoxelValue() {
        int n = 12;
        float[] v = new float[n * n * n];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < v.length; i++) v[i] = random.nextInt(2000) - 1000;
        BSplineCoefficients spline = BSplineCoefficients.fit(v, new int[] {n, n, n},
                new int[][] {{0, 0, 0}, {n - 1, n - 1, n - 1}});
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    assertEquals(v[x + n * (y + n * z)], spline.value(x, y, z), 1e-6, "voxel " + x + "," + y + "," + z);
                }
            }
        }
    }

    @Test
    void splineReproducesACubicPolynomialBetweenVoxels() {
        int n = 60;
        RoiImage image = polynomialImage(n, new double[] {1, 1, 1});
        BSplineCoefficients spline = BSplineCoefficients.fit(image.intensities(), image.dims(),
                new int[][] {{0, 0, 0}, {n - 1, n - 1, n - 1}});
        for (double[] p : new double[][] {{30.25, 29.5, 31.75}, {28.1, 33.9, 30.4}, {31.5, 31.5, 31.5}}) {
            double expected = cubic(p[0], p[1], p[2]);
            assertEquals(expected, spline.value(p[0], p[1], p[2]), 1e-3 * Math.abs(expected), java.util.Arrays.toString(p));
        }
    }

    @Test
    void splineIsNotKeysCubicConvolution() {
        // Keys' kernel reproduces only quadratics, so on a cubic the two differ between voxels.
        int n = 60;
        RoiImage image = polynomialImage(n, new double[] {1, 1, 1});
        double keys = Resampler.cubic(image.intensities(), image.dims(), 30.25, 30.7, 30.4);
        BSplineCoefficients spline = BSplineCoefficients.fit(image.intensities(), image.dims(),
                new int[][] {{0, 0, 0}, {n - 1, n - 1, n - 1}});
        double exact = cubic(30.25, 30.7, 30.4);
        assertEquals(exact, spline.value(30.25, 30.7, 30.4), 1e-3);
        assertTrue(Math.abs(keys - exact) > 1e-3, "Keys " + keys + " vs exact " + exact);
    }

    /**
     * The resampler fits the spline only on the ROI's box plus a margin; its values must equal those of the
     * fit on the whole image (the fit's start has decayed below 0.268^24 by the ROI).
     */
    @Test
    void splineOnTheRoisBoxEqualsTheWholeImageFit() {
        int n = 80;
        float[] v = new float[n * n * n];
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < v.length; i++) v[i] = random.nextInt(2000) - 1000;
        boolean[] m = new boolean[v.length];
        int c = n / 2;
        m[c + n * (c + n * c)] = true;
        RoiImage image = RoiImage.of(new int[] {n, n, n}, new double[] {1, 1, 1}, v, m);
        Resampling spline = new Resampling(new double[] {0.8, 0.8, 0.8}, Resampling.Interpolation.SPLINE, 0.5, false);
        RoiImage part = Resampler.resample(image, spline, 1);
        RoiImage whole = Resampler.resample(image, spline, 1000);
        assertTrue(part.voxelCount() < whole.voxelCount() / 100, "the ROI's part is small");
        int[] at = firstMaskVoxel(part), atWhole = firstMaskVoxel(whole);
        for (int z = 0; z < part.nz(); z++) {
            for (int y = 0; y < part.ny(); y++) {
                for (int x = 0; x < part.nx(); x++) {
                    int wx = x - at[0] + atWhole[0], wy = y - at[1] + atWhole[1], wz = z - at[2] + atWhole[2];
                    assertEquals(whole.intensity(whole.index(wx, wy, wz)), part.intensity(part.index(x, y, z)), 1e-3);
                }
            }
        }
    }

    private static int[] firstMaskVoxel(RoiImage image) {
        for (int z = 0; z < image.nz(); z++) {
            for (int y = 0; y < image.ny(); y++) {
                for (int x = 0; x < image.nx(); x++) {
                    if (image.inIntensityMask(image.index(x, y, z))) return new int[] {x, y, z};
                }
            }
        }
        throw new AssertionError("no mask voxel");
    }

    @Test
    void nullSpacingKeepsThatAxisOnItsGrid() {
        RoiImage image = polynomialImage(20, new double[] {1, 1, 3});
        Resampling inPlane = SettingsParser.parse("resampling: {spacing: [2, 2, null], interpolation: linear}").resampling();
        assertTrue(inPlane.keeps(2));
        assertArrayEquals(new double[] {2, 2, 3}, inPlane.spacingFor(image.spacing()));
        RoiImage whole = Resampler.resample(image, inPlane, 1000);
        // ceil(20 * 1 / 2) = 10 in-plane; the 20 slices and their 3 mm stay.
        assertArrayEquals(new int[] {10, 10, 20}, whole.dims());
        assertArrayEquals(new double[] {2, 2, 3}, whole.spacing());
        // Slices are not interpolated: new voxel (x, y, z) lies in original slice z.
        double ox = (20 - 1) / 2.0 - (10 - 1) / 2.0 * 2;
        for (int z : new int[] {0, 7, 19}) {
            double px = ox + 2 * 4, py = ox + 2 * 5;
            // Bilinear in-plane on a polynomial: compare with the original slice's own bilinear value.
            double expected = Resampler.linear(image.intensities(), image.dims(), px, py, z);
            assertEquals(expected, whole.intensity(whole.index(4, 5, z)), 1e-3);
        }
    }

    @Test
    void spacingThatKeepsEveryAxisIsRefusedNamingTheKey() {
        var e = assertThrows(RuntimeException.class,
                () -> SettingsParser.parse("resampling: {spacing: [null, null, null]}"));
        assertTrue(e.getMessage().contains("resampling.spacing"), e.getMessage());
    }
}
