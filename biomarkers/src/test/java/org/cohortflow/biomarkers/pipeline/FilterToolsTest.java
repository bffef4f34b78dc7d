package org.cohortflow.biomarkers.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cohortflow.biomarkers.TestData;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.dsl.tool.ToolId;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IBSI 2 filter tool: discovered by the DSL, and its response maps are IBSI's. */
class FilterToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Volume run(Path work, Volume image, String spec) throws Exception {
        JsonNode filter = JSON.readTree(spec);
        Map<String, List<Object>> out = new InMemoryToolContext(FilterTools.FILTER_TOOL,
                Map.of("image", List.of(image), "filter", List.of(filter)), work, "s1").run();
        return (Volume) out.get("response").get(0);
    }

    @Test
    void theFilterToolIsFoundByTheToolRegistry() {
        ToolRegistry tools = ToolRegistry.load(TypeRegistry.load(), List.of());
        assertTrue(tools.find(ToolId.parse("biomarkers/Filter:1")).isPresent(), "biomarkers/Filter:1 not registered");
    }

    @Test
    void theToolGivesIbsiResponseMapOfTest2bOnTheImagesGrid(@TempDir Path work) throws Exception {
        Path data = TestData.require("ibsi2-digital-phantom");
        Volume image = Nifti.readVolume(data.resolve("phantoms/checkerboard/image/checkerboard.nii.gz"));
        Volume response = run(work, image, "{\"type\": \"log\", \"sigma_mm\": 5, \"cutoff\": 4, \"boundary\": \"mirror\"}");
        Volume reference = Nifti.readVolume(data.resolve("reference-response-maps/2_b-ValidCRM.nii.gz"));
        assertTrue(response.geometry().sameGrid(image.geometry(), 1e-9));
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < reference.voxelCount(); i++) {
            min = Math.min(min, reference.valueAt(i));
            max = Math.max(max, reference.valueAt(i));
        }
        for (int i = 0; i < reference.voxelCount(); i++) {
            assertEquals(reference.valueAt(i), response.valueAt(i), 0.01 * (max - min), "voxel " + i);
        }
    }

    @Test
    void aDecimatedWaveletKeepsEveryOtherVoxelOfTheUndecimatedOneOnAGridWithTwiceTheSpacing(@TempDir Path work) throws Exception {
        Path data = TestData.require("ibsi2-digital-phantom");
        Volume image = Nifti.readVolume(data.resolve("phantoms/sphere/image/sphere.nii.gz"));
        String spec = "{\"type\": \"wavelet\", \"wavelet\": \"db2\", \"subband\": \"HLH\", \"level\": 1, \"boundary\": \"periodic\"";
        Volume full = run(work, image, spec + "}");
        Volume decimated = run(work, image, spec + ", \"decimated\": true}");
        assertEquals(32, decimated.geometry().nx());
        assertEquals(32, decimated.geometry().nz());
        assertEquals(2 * image.geometry().spacing()[1], decimated.geometry().spacing()[1], 1e-12);
        assertEquals(image.geometry().origin()[2], decimated.geometry().origin()[2], 1e-12);
        boolean nonZero = false;
        for (int z = 0; z < 32; z++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertEquals(full.valueAt(2 * x, 2 * y, 2 * z), decimated.valueAt(x, y, z), 0.0);
                    nonZero |= decimated.valueAt(x, y, z) != 0;
                }
            }
        }
        assertTrue(nonZero, "the sphere's HLH sub-band is not all zero");
    }

    @Test
    void theFilteredIntensityToolGivesStatisticsOfTheResponseMapNamedAfterTheFilter(@TempDir Path work) throws Exception {
        Path data = TestData.require("ibsi2-digital-phantom");
        Volume image = Nifti.readVolume(data.resolve("phantoms/sphere/image/sphere.nii.gz"));
        org.cohortflow.imaging.Mask mask = Nifti.readMask(data.resolve("phantoms/sphere/mask/mask.nii.gz"), image.geometry());
        String spec = "{\"type\": \"mean\", \"support\": 5, \"boundary\": \"nearest\"}";
        Map<String, List<Object>> out = new InMemoryToolContext(FilterTools.FILTERED_INTENSITY, Map.of("image", List.of(image),
                "mask", List.of(mask), "filter", List.of(JSON.readTree(spec)), "roi", List.of("all")), work, "s1").run();
        org.cohortflow.biomarkers.table.FeatureTable table = (org.cohortflow.biomarkers.table.FeatureTable) out.get("features").get(0);
        var mean = table.rows().stream().filter(r -> r.feature().ibsiCode().equals("Q4LE")).findFirst().orElseThrow();
        assertEquals("mean_3D_M5_nearest/" + mean.feature().name().substring(mean.feature().name().indexOf('/') + 1), mean.feature().name());
        // A mean filter with nearest-value padding keeps the image's mean only approximately; over the whole
        // image the response's mean must be close to the image's (the phantom is zero at its edges).
        double imageMean = 0;
        for (int i = 0; i < image.voxelCount(); i++) imageMean += image.valueAt(i);
        imageMean /= image.voxelCount();
        assertEquals(imageMean, mean.feature().value(), 1e-3 * Math.max(1, imageMean));
        assertEquals("s1", mean.sample());
        assertEquals("all", mean.roi());
    }

    @Test
    void aFilterSettingTheFilterDoesNotTakeIsRefusedNamingTheKey(@TempDir Path work) {
        Volume image = Volume.ofFloats(org.cohortflow.imaging.Geometry.of(4, 4, 4, new double[3], new double[] {1, 1, 1}), new float[64]);
        Exception e = assertThrows(Exception.class, () -> run(work, image, "{\"type\": \"mean\", \"support\": 3, \"sigma_mm\": 2}"));
        assertTrue(messages(e).contains("filter.sigma_mm"), messages(e));
        e = assertThrows(Exception.class, () -> run(work, image, "{\"type\": \"mean\", \"support\": 4}"));
        assertTrue(messages(e).contains("odd"), messages(e));
        e = assertThrows(Exception.class, () -> run(work, image, "{\"type\": \"log\", \"sigma_mm\": 2, \"boundary\": \"wrap\"}"));
        assertTrue(messages(e).contains("filter.boundary"), messages(e));
        e = assertThrows(Exception.class, () -> run(work, image, "{\"type\": \"riesz\", \"order\": [1, 0], \"base\": {\"type\": \"log\", \"sigma_mm\": 2}}"));
        assertTrue(messages(e).contains("filter.order"), messages(e));
        e = assertThrows(Exception.class, () -> run(work, image, "{\"type\": \"riesz\", \"order\": [1, 0, 0], \"base\": {\"type\": \"log\"}}"));
        assertTrue(messages(e).contains("filter.base.sigma_mm"), messages(e));
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) b.append(c.getMessage()).append(" | ");
        return b.toString();
    }
}
