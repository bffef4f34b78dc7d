package org.cohortflow.benchmarks.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.filter.FilterImage;
import org.cohortflow.biomarkers.filter.ImageFilter;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.junit.jupiter.api.Test;

/** The filter benchmarks measure what they say: issue 18's filter bank, and every IBSI 2 filter family. */
class FilterBenchmarksTest {

    @Test
    void theFilterBankSettingsAskForLogAtThreeSigmasAndTheEightWaveletSubBandsWithIntensityFeatures() {
        IbsiSettings settings = SettingsParser.read(Path.of("settings/ct-2mm-filter-bank.yaml"));
        List<String> names = settings.responseMaps().filters().stream().map(ImageFilter::name).toList();
        assertEquals(List.of("log_3D_s1mm_d4_nearest", "log_3D_s2mm_d4_nearest", "log_3D_s3mm_d4_nearest",
                "wavelet_coif1_LLL_level1_undecimated_periodic", "wavelet_coif1_LLH_level1_undecimated_periodic",
                "wavelet_coif1_LHL_level1_undecimated_periodic", "wavelet_coif1_LHH_level1_undecimated_periodic",
                "wavelet_coif1_HLL_level1_undecimated_periodic", "wavelet_coif1_HLH_level1_undecimated_periodic",
                "wavelet_coif1_HHL_level1_undecimated_periodic", "wavelet_coif1_HHH_level1_undecimated_periodic"), names);
        assertEquals(EnumSet.of(FeatureFamily.INTENSITY_STATISTICS, FeatureFamily.INTENSITY_HISTOGRAM),
                EnumSet.copyOf(settings.responseMaps().families()));
        // All eleven IBSI 1 families on the original image too.
        assertEquals(EnumSet.allOf(FeatureFamily.class), EnumSet.copyOf(settings.families()));
    }

    @Test
    void everyFilterOfTheRunnerGivesAFiniteMapOnTheGridOfTheGeneratedVolume() throws Exception {
        FilterImage image = FilterRunner.volume(20);
        Map<String, ImageFilter> filters = FilterRunner.parsed();
        assertEquals(FilterRunner.FILTERS.size(), filters.size());
        for (var e : filters.entrySet()) {
            FilterImage out = e.getValue().apply(image);
            assertEquals(image.values().length, out.values().length, e.getKey());
            double spread = 0;
            for (double v : out.values()) {
                assertTrue(Double.isFinite(v), e.getKey());
                spread = Math.max(spread, Math.abs(v - out.values()[0]));
            }
            assertTrue(spread > 0, e.getKey() + " gave a constant map");
        }
    }
}
