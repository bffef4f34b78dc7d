package org.cohortflow.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.junit.jupiter.api.Test;

/** A family that cannot run reports its features as NaN with the reason; the others are unaffected. */
class FailureIsolationTest {

    @Test
    void failedDiscretisationLeavesMorphologyAndStatisticsIntact() {
        float[] values = new float[27];
        boolean[] mask = new boolean[27];
        for (int i = 0; i < 27; i++) {
            values[i] = -100.5f + 7.25f * i;   // non-integer, negative: no grey levels without discretisation
            mask[i] = true;
        }
        RoiImage image = RoiImage.of(new int[] {3, 3, 3}, new double[] {1, 1, 1}, values, mask);
        List<Feature> features = new FeatureExtractor(IbsiSettings.digitalPhantom()).extract(image);
        assertEquals(482, features.size());
        for (Feature f : features) {
            boolean needsLevels = switch (f.family()) {
                case MORPHOLOGY, LOCAL_INTENSITY, INTENSITY_STATISTICS -> false;
                default -> true;
            };
            if (needsLevels) {
                assertTrue(Double.isNaN(f.value()), f.toString());
                // The IVH discretises on its own and names its own key.
                String key = f.family() == FeatureFamily.INTENSITY_VOLUME_HISTOGRAM ? "ivh.method none" : "discretisation.method none";
                assertTrue(f.reason().contains(key), f.reason());
            }
        }
        Feature mean = features.stream().filter(f -> f.ibsiCode().equals("Q4LE")).findFirst().orElseThrow();
        assertEquals(-100.5 + 7.25 * 13, mean.value(), 1e-4);
    }

    @Test
    void catalogueListsExactlyWhatTheExtractorReports() {
        float[] values = new float[27];
        boolean[] mask = new boolean[27];
        for (int i = 0; i < 27; i++) {
            values[i] = 1 + i % 4;
            mask[i] = true;
        }
        List<Feature> computed = new FeatureExtractor(IbsiSettings.digitalPhantom())
                .extract(RoiImage.of(new int[] {3, 3, 3}, new double[] {1, 1, 1}, values, mask));
        List<String> fromCatalogue = new ArrayList<>();
        List<String> fromExtractor = new ArrayList<>();
        for (FeatureFamily family : FeatureFamily.values()) {
            FeatureCatalogue.undefined(family, "x").forEach(f -> fromCatalogue.add(key(f)));
            computed.stream().filter(f -> f.family() == family).forEach(f -> fromExtractor.add(key(f)));
        }
        assertEquals(fromCatalogue, fromExtractor);
    }

    private static String key(Feature f) {
        return f.family().shortName() + "|" + f.name() + "|" + f.ibsiCode() + "|" + f.aggregation().code();
    }
}
