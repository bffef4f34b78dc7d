package org.cohortflow.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.junit.jupiter.api.Test;

/** A one-voxel ROI: undefined features become NaN with a reason, the rest are still computed. */
class OneVoxelRoiTest {

    private static List<Feature> extract(boolean[] mask, float[] values) {
        RoiImage image = RoiImage.of(new int[] {3, 3, 3}, new double[] {2, 2, 2}, values, mask);
        return new FeatureExtractor(IbsiSettings.digitalPhantom()).extract(image);
    }

    @Test
    void undefinedFeaturesAreNanWithReasonAndOthersSurvive() {
        float[] values = new float[27];
        for (int i = 0; i < 27; i++) values[i] = 1 + i % 5;
        boolean[] one = new boolean[27];
        one[13] = true;
        boolean[] cube = new boolean[27];
        java.util.Arrays.fill(cube, true);

        List<Feature> single = extract(one, values);
        List<Feature> full = extract(cube, values);
        Set<String> singleKeys = single.stream().map(OneVoxelRoiTest::key).collect(Collectors.toSet());
        Set<String> fullKeys = full.stream().map(OneVoxelRoiTest::key).collect(Collectors.toSet());
        assertEquals(fullKeys, singleKeys, "the same features are reported for any ROI");

        Map<String, Feature> byKey = single.stream().collect(Collectors.toMap(OneVoxelRoiTest::key, Function.identity()));
        Feature volume = byKey.get("morph|Volume (voxel counting)|3D");
        assertEquals(8.0, volume.value(), 1e-12);
        Feature mean = byKey.get("stat|Mean intensity|3D");
        assertEquals(values[13], mean.value(), 1e-6);
        Feature moran = byKey.get("morph|Moran's I index|3D");
        assertTrue(Double.isNaN(moran.value()));
        assertNotNull(moran.reason());
        Feature hull = byKey.get("morph|Volume density (convex hull)|3D");
        assertTrue(hull.isDefined(), "a single cube-shaped voxel has a convex hull: " + hull.reason());
        long undefined = single.stream().filter(f -> !f.isDefined()).count();
        assertTrue(undefined > 0);
        assertTrue(single.stream().allMatch(f -> f.isDefined() || (f.reason() != null && !f.reason().isBlank())));
    }

    private static String key(Feature f) {
        return f.family().shortName() + "|" + f.name() + "|" + f.aggregation().label();
    }
}
