package org.cohortflow.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.SettingsException;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.junit.jupiter.api.Test;

/** Settings choose the feature families (issue 18, item 3); the IBSI CT phantom as configuration C. */
class FamilySelectionTest {
    private static final String CONFIG_C = CtPhantomReferenceTest.SETTINGS.get("C");

    @Test
    void onlyTheSelectedFamiliesAreComputedWithTheValuesOfTheFullRun() {
        var image = CtPhantomChainTest.nifti().roiImage();
        List<Feature> all = new FeatureExtractor(SettingsParser.parse(CONFIG_C)).extract(image);
        IbsiSettings some = SettingsParser.parse(CONFIG_C + "families: [ngt, morph, ivh]\n");
        List<Feature> chosen = new FeatureExtractor(some).extract(image);
        assertEquals(Set.of(FeatureFamily.MORPHOLOGY, FeatureFamily.INTENSITY_VOLUME_HISTOGRAM, FeatureFamily.NGTDM),
                chosen.stream().map(Feature::family).collect(Collectors.toSet()));
        // IBSI's order, whatever the order in the settings, and exactly the full run's values.
        assertEquals(all.stream().filter(f -> some.computes(f.family())).toList(), chosen);
        assertEquals(25 + 6 + 15, chosen.size());
    }

    @Test
    void familiesAreNamedByIbsisAbbreviationsAndAnUnknownOneIsRefused() {
        assertEquals(Set.of(FeatureFamily.GLCM, FeatureFamily.INTENSITY_STATISTICS),
                SettingsParser.parse("families: [cm, stat]").families());
        assertEquals(Set.of(FeatureFamily.values()), SettingsParser.parse("families: all").families());
        assertEquals(Set.of(FeatureFamily.values()), SettingsParser.parse("texture: {glcm_distance: 1}").families());
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsParser.parse("families: [glcm]"));
        assertTrue(e.getMessage().startsWith("families:") && e.getMessage().contains("cm, rlm"), e.getMessage());
        assertThrows(SettingsException.class, () -> SettingsParser.parse("families: []"));
    }
}
