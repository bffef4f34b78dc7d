package org.cohortflow.biomarkers.processing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.settings.Resampling;
import org.cohortflow.biomarkers.settings.Resegmentation;
import org.junit.jupiter.api.Test;

class ProcessingTest {

    private static RoiImage ramp(int nx, int ny, int nz, double[] spacing) {
        int n = nx * ny * nz;
        float[] v = new float[n];
        boolean[] m = new boolean[n];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    // Linear in physical position, so trilinear interpolation must reproduce it exactly.
                    v[i] = (float) (3 * x * spacing[0] + 2 * y * spacing[1] - z * spacing[2]);
                    m[i] = true;
                }
            }
        }
        return RoiImage.of(new int[] {nx, ny, nz}, spacing, v, m);
    }

    @Test
    void resamplingUsesTheCentreAlignedGrid() {
        RoiImage image = ramp(5, 4, 3, new double[] {2, 2, 3});
        RoiImage out = Resampler.resample(image, new Resampling(new double[] {3, 3, 3},
                Resampling.Interpolation.LINEAR, 0.5, false), 0);
        // ceil(5*2/3)=4, ceil(4*2/3)=3, ceil(3*3/3)=3
        assertArrayEquals(new int[] {4, 3, 3}, out.dims());
        assertArrayEquals(new double[] {3, 3, 3}, out.spacing());
        // New voxel (0,0,0) sits at original index ((5-1)/2 - (4-1)/2*1.5, (4-1)/2 - (3-1)/2*1.5, 0)
        double ox = 2.0 - 1.5 * 1.5, oy = 1.5 - 1.5;
        double expected0 = 3 * (ox * 2) + 2 * (oy * 2);
        // ox is negative: outside the grid values are clamped to the edge voxel.
        double clamped = 3 * 0 + 2 * (oy * 2);
        assertEquals(clamped, out.intensity(0), 1e-4);
        assertTrue(expected0 < clamped);
        // An interior voxel is reproduced exactly by trilinear interpolation of a linear ramp.
        double px = 2.0 - 1.5 * 1.5 + 1 * 1.5, py = 1.5 - 1.5 + 1 * 1.5, pz = 1;
        assertEquals(3 * px * 2 + 2 * py * 2 - pz * 3, out.intensity(out.index(1, 1, 1)), 1e-4);
    }

    @Test
    void nearestAndCubicAgreeOnGridPoints() {
        RoiImage image = ramp(6, 6, 6, new double[] {1, 1, 1});
        Resampling same = new Resampling(new double[] {1, 1, 1}, Resampling.Interpolation.CUBIC, 0.5, false);
        RoiImage cubic = Resampler.resample(image, same, 0);
        RoiImage nearest = Resampler.resample(image, new Resampling(new double[] {1, 1, 1},
                Resampling.Interpolation.NEAREST, 0.5, false), 0);
        assertArrayEquals(image.intensities(), cubic.intensities(), 1e-4f);
        assertArrayEquals(image.intensities(), nearest.intensities(), 0f);
    }

    @Test
    void maskIsInterpolatedAndThresholded() {
        int n = 8;
        float[] v = new float[n];
        boolean[] m = new boolean[n];
        m[0] = m[1] = m[2] = m[3] = true;
        RoiImage image = RoiImage.of(new int[] {8, 1, 1}, new double[] {1, 1, 1}, v, m);
        // Halving the spacing: new voxels at original x = -0.25, 0.25, ..., 7.25; the mask edge is
        // between x=3 (inside) and x=4 (outside), so x=3.25 (0.75) is kept and x=3.75 (0.25) is not.
        RoiImage out = Resampler.resample(image, new Resampling(new double[] {0.5, 1, 1},
                Resampling.Interpolation.LINEAR, 0.5, false), 0);
        int count = out.morphologicalMaskCount();
        assertEquals(8, count);
        RoiImage strict = Resampler.resample(image, new Resampling(new double[] {0.5, 1, 1},
                Resampling.Interpolation.LINEAR, 0.9, false), 0);
        assertEquals(7, strict.morphologicalMaskCount());
    }

    @Test
    void resegmentationChangesOnlyTheIntensityMask() {
        float[] v = {-2000, -500, 0, 50, 100, 3000};
        boolean[] m = {true, true, true, true, true, true};
        RoiImage image = RoiImage.of(new int[] {6, 1, 1}, new double[] {1, 1, 1}, v, m);
        RoiImage out = Resegmenter.apply(image, new Resegmentation(-1000, 400, Double.NaN));
        assertArrayEquals(new boolean[] {false, true, true, true, true, false}, out.intensityMask());
        assertEquals(6, out.morphologicalMaskCount());
    }

    @Test
    void outlierResegmentationDropsValuesBeyondThreeSigma() {
        int n = 100;
        float[] v = new float[n];
        boolean[] m = new boolean[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 2 == 0 ? 10 : 12;
            m[i] = true;
        }
        v[0] = 100;
        RoiImage out = Resegmenter.apply(RoiImage.of(new int[] {n, 1, 1}, new double[] {1, 1, 1}, v, m),
                new Resegmentation(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 3));
        assertFalse(out.inIntensityMask(0));
        assertEquals(n - 1, out.intensityMaskCount());
    }

    @Test
    void roundingMakesWholeNumbers() {
        RoiImage image = RoiImage.of(new int[] {3, 1, 1}, new double[] {1, 1, 1}, new float[] {1.4f, 1.6f, -2.5f},
                new boolean[] {true, true, true});
        assertArrayEquals(new float[] {1, 2, -2}, Resegmenter.round(image).intensities());
    }

    @Test
    void fixedBinNumberAndFixedBinSize() {
        float[] v = {0, 1, 2.5f, 4.9f, 5, 10};
        boolean[] m = {true, true, true, true, true, true};
        RoiImage image = RoiImage.of(new int[] {6, 1, 1}, new double[] {1, 1, 1}, v, m);
        DiscretisedImage fbn = Discretiser.apply(image, Discretisation.fixedBinNumber(4));
        assertEquals(4, fbn.ng());
        assertArrayEquals(new int[] {1, 1, 2, 2, 3, 4}, fbn.roiLevels());
        DiscretisedImage fbs = Discretiser.apply(image, Discretisation.fixedBinSize(2.5, -2.5));
        assertArrayEquals(new int[] {2, 2, 3, 3, 4, 6}, fbs.roiLevels());
        DiscretisedImage fromMin = Discretiser.apply(image, Discretisation.fixedBinSize(2.5, Double.NaN));
        assertArrayEquals(new int[] {1, 1, 2, 2, 3, 5}, fromMin.roiLevels());
    }

    @Test
    void noDiscretisationNeedsIntegerLevels() {
        RoiImage image = RoiImage.of(new int[] {2, 1, 1}, new double[] {1, 1, 1}, new float[] {1, 2.5f},
                new boolean[] {true, true});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Discretiser.apply(image, Discretisation.none()));
        assertTrue(e.getMessage().startsWith("discretisation.method"));
    }
}
