package org.cohortflow.biomarkers.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.junit.jupiter.api.Test;

/** Intensity statistics of response maps: computed over the ROI of the whole image's response, named by filter. */
class FilteredIntensityFeaturesTest {

    @Test
    void theMeanOfTheResponseOverTheRoiIsTheMeanOfTheWholeImagesResponseThereAndTheNameCarriesTheFilter() {
        FilterImage phantom = Ibsi2PhaseOneTest.phantom("sphere");
        float[] f = new float[phantom.values().length];
        for (int i = 0; i < f.length; i++) f[i] = (float) phantom.values()[i];
        // ROI: a slab in the middle, so the response at its voxels depends on intensities outside it.
        boolean[] roi = new boolean[f.length];
        for (int z = 28; z < 36; z++) for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) roi[x + 64 * (y + 64 * z)] = true;
        RoiImage image = RoiImage.of(new int[] {64, 64, 64}, phantom.spacing(), f, roi);
        ImageFilter log = new LaplacianOfGaussian(5, 4, false, Boundary.MIRROR);
        List<Feature> features = FilteredIntensityFeatures.compute(image, IbsiSettings.digitalPhantom(), log);
        double[] response = log.apply(phantom).values();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < roi.length; i++) {
            if (roi[i]) {
                sum += (float) response[i];
                n++;
            }
        }
        Feature mean = features.stream().filter(x -> x.ibsiCode().equals("Q4LE")).findFirst().orElseThrow();
        assertEquals(sum / n, mean.value(), 1e-6 * Math.max(1, Math.abs(sum / n)));
        assertTrue(mean.name().startsWith("log_3D_s5mm_d4_mirror/"), mean.name());
        assertTrue(features.size() >= 18, features.size() + " statistics");
    }

    @Test
    void aDecimatedWaveletIsRefusedForRoiFeatures() {
        FilterImage phantom = Ibsi2PhaseOneTest.phantom("sphere");
        float[] f = new float[phantom.values().length];
        boolean[] roi = new boolean[f.length];
        java.util.Arrays.fill(roi, true);
        RoiImage image = RoiImage.of(new int[] {64, 64, 64}, phantom.spacing(), f, roi);
        Exception e = assertThrows(IllegalArgumentException.class, () -> FilteredIntensityFeatures.compute(image,
                IbsiSettings.digitalPhantom(), new WaveletFilter("haar", "HHH", 1, null, Boundary.MIRROR, true)));
        assertTrue(e.getMessage().contains("decimated"), e.getMessage());
    }
}
