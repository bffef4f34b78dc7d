package org.cohortflow.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.filter.FilteredIntensityFeatures;
import org.cohortflow.biomarkers.filter.LaplacianOfGaussian;
import org.cohortflow.biomarkers.filter.Boundary;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.SettingsException;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.biomarkers.table.WideCsvFeatureWriter;
import org.junit.jupiter.api.Test;

/**
 * The settings' {@code filters} section (IBSI 2 phase 2 style): families computed on response maps after
 * resampling, re-segmentation and filtering of the whole image, on the IBSI CT phantom.
 */
class ResponseMapFeaturesTest {
    private static final String SETTINGS = """
            resampling: {spacing: [2, 2, 2], interpolation: linear, mask_threshold: 0.5, round: true}
            resegmentation: {range: [-1000, 400], outlier_sigma: 3}
            discretisation: {method: fixed_bin_number, bins: 32}
            families: [loc, stat, ih, ivh, cm]
            filters:
              maps:
                - {type: mean, support: 1, boundary: zero}
                - {type: log, sigma_mm: 3, cutoff: 4, boundary: mirror}
              families: [loc, stat, ih, ivh, cm]
              discretisation: {method: fixed_bin_number, bins: 32}
            """;

    @Test
    void aMeanFilterOfOneVoxelLeavesTheImageSoItsMapsFeaturesAreTheImagesOwnAndEachCarriesTheFiltersName() {
        RoiImage image = CtPhantomChainTest.nifti().roiImage();
        IbsiSettings settings = SettingsParser.parse(SETTINGS);
        List<Feature> all = new FeatureExtractor(settings).extract(image);
        Map<String, Feature> byName = new LinkedHashMap<>();
        for (Feature f : all) byName.put(f.name() + " [" + f.aggregation() + "]", f);

        List<Feature> own = all.stream().filter(f -> !f.name().contains("/")).toList();
        assertEquals(settings.families(), own.stream().map(Feature::family).collect(Collectors.toSet()));
        int identical = 0;
        for (Feature f : own) {
            Feature mapped = byName.get("mean_3D_M1_zero/" + f.name() + " [" + f.aggregation() + "]");
            assertTrue(mapped != null, "no response map feature for " + f.name());
            assertEquals(f.family(), mapped.family());
            assertEquals(f.ibsiCode(), mapped.ibsiCode());
            // The identity filter on the whole resampled image, cropped afterwards: the same voxels and bins.
            assertEquals(f.value(), mapped.value(), 1e-9 * Math.max(1, Math.abs(f.value())), f.name());
            identical++;
        }
        assertTrue(identical > 50, identical + " features compared");
        long logFeatures = all.stream().filter(f -> f.name().startsWith("log_3D_s3mm_d4_mirror/")).count();
        assertEquals(own.size(), logFeatures);
    }

    @Test
    void theLogMapsStatisticsEqualThoseOfTheFilteredIntensityToolWhichFiltersTheUncroppedImage() {
        RoiImage image = CtPhantomChainTest.nifti().roiImage();
        IbsiSettings settings = SettingsParser.parse("""
                resampling: {spacing: [2, 2, 2], interpolation: linear, mask_threshold: 0.5, round: true}
                resegmentation: {range: [-1000, 400]}
                families: [stat]
                filters:
                  maps: [{type: log, sigma_mm: 3, cutoff: 4, boundary: mirror}]
                """);
        List<Feature> fromSettings = new FeatureExtractor(settings).extract(image);
        List<Feature> fromTool = FilteredIntensityFeatures.compute(image, settings,
                new LaplacianOfGaussian(3, 4, false, Boundary.MIRROR));
        List<Feature> maps = fromSettings.stream().filter(f -> f.name().contains("/")).toList();
        assertEquals(fromTool.size(), maps.size());
        for (int i = 0; i < maps.size(); i++) {
            assertEquals(fromTool.get(i).name(), maps.get(i).name());
            assertEquals(fromTool.get(i).value(), maps.get(i).value(), 1e-9 * Math.max(1, Math.abs(fromTool.get(i).value())),
                    maps.get(i).name());
        }
        // The filter changed the intensities: the map's mean is not the image's.
        double imageMean = fromSettings.stream().filter(f -> f.ibsiCode().equals("Q4LE") && !f.name().contains("/"))
                .findFirst().orElseThrow().value();
        double mapMean = maps.stream().filter(f -> f.ibsiCode().equals("Q4LE")).findFirst().orElseThrow().value();
        assertNotEquals(imageMean, mapMean, 1.0);
    }

    @Test
    void theWideTableGivesEachFiltersFeaturesTheirOwnColumns() throws Exception {
        RoiImage image = CtPhantomChainTest.nifti().roiImage();
        IbsiSettings settings = SettingsParser.parse("""
                resampling: {spacing: [2, 2, 2], interpolation: linear, mask_threshold: 0.5, round: true}
                families: [stat]
                filters:
                  maps: [{type: mean, support: 3}, {type: mean, support: 5}]
                """);
        StringWriter out = new StringWriter();
        WideCsvFeatureWriter.write(new FeatureTable().add("PAT1", "GTV-1", new FeatureExtractor(settings).extract(image)), out);
        List<String> header = List.of(out.toString().lines().findFirst().orElseThrow().split(","));
        assertTrue(header.contains("stat_Q4LE_DHQ4"), header.toString());
        assertTrue(header.contains("mean_3D_M3_mirror_stat_Q4LE_DHQ4"), header.toString());
        assertTrue(header.contains("mean_3D_M5_mirror_stat_Q4LE_DHQ4"), header.toString());
        assertEquals(header.size(), Set.copyOf(header).size());
    }

    @Test
    void whatAResponseMapCannotHaveIsRefusedNamingTheKey() {
        assertMessage("filters:\n  maps: [{type: log, sigma: 3}]\n", "filters.maps[0].sigma: not a setting of the log filter");
        assertMessage("filters:\n  maps: [{type: mean, support: 3}]\n  families: [morph]\n", "filters.families: morph");
        assertMessage("filters:\n  maps: [{type: mean, support: 3}]\n  families: [stat, cm]\n",
                "filters.discretisation is required for cm");
        assertMessage("filters:\n  maps: [{type: wavelet, wavelet: haar, subband: HHH, level: 1, decimated: true}]\n",
                "filters.maps[0].decimated");
        assertMessage("filters:\n  maps: [{type: mean, support: 3}, {type: mean, support: 3}]\n", "listed twice");
        assertMessage("filters:\n  maps: []\n", "filters.maps must list at least one filter");
        assertMessage("filters:\n  map: [{type: mean, support: 3}]\n", "filters.map: unknown key");
        // families: all on response maps means every family a response map can have.
        IbsiSettings all = SettingsParser.parse("filters:\n  maps: [{type: mean, support: 3}]\n  families: all\n"
                + "  discretisation: {method: fixed_bin_number, bins: 16}\n");
        assertTrue(!all.responseMaps().families().contains(FeatureFamily.MORPHOLOGY)
                && all.responseMaps().families().size() == FeatureFamily.values().length - 1);
        assertEquals(Set.of(FeatureFamily.INTENSITY_STATISTICS),
                SettingsParser.parse("filters:\n  maps: [{type: mean, support: 3}]\n").responseMaps().families());
    }

    private static void assertMessage(String yaml, String expected) {
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsParser.parse(yaml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
