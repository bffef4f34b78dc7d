package org.cohortflow.biomarkers.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cohortflow.biomarkers.TestData;
import org.cohortflow.biomarkers.pipeline.BiomarkerTools;
import org.cohortflow.biomarkers.pipeline.BiomarkerTypes;
import org.cohortflow.biomarkers.settings.SettingsException;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings that need more memory than the JVM has are refused before anything is allocated, naming the sample
 * and the setting; the example settings pass on the IBSI CT phantom.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemoryEstimateTest {
    private static final String CT_2MM = "examples/radiomics/settings/ct-2mm.yaml";

    private Volume ct;
    private Mask mask;

    @BeforeAll
    void read() {
        Path dir = TestData.require("ibsi-ct-phantom/nifti");
        ct = Nifti.readVolume(dir.resolve("image/phantom.nii.gz"));
        mask = Nifti.readMask(dir.resolve("mask/mask.nii.gz"), ct.geometry());
    }

    @Test
    void theExampleCtSettingsNeedFarLessThanAGigabyteOnTheCtPhantom() throws Exception {
        MemoryEstimate e = MemoryEstimate.of(RoiFootprint.of(ct, mask), SettingsParser.read(repo().resolve(CT_2MM)));

        assertTrue(e.bytes() > ct.voxelCount() * 12L, "at least the image's working copies: " + e);
        assertTrue(e.bytes() < 1L << 30, e.toString());
    }

    @Test
    void filtersCountTheWholeResampledImageAndAFineGridForThemIsRefusedNamingTheFilters() {
        String filters = "filters:\n  maps: [{type: log, sigma_mm: 3}]\n";
        String fine = "resampling: {spacing: [0.25, 0.25, 0.25], interpolation: linear}\n";
        MemoryEstimate without = MemoryEstimate.of(RoiFootprint.of(ct, mask), SettingsParser.parse(fine));
        MemoryEstimate with = MemoryEstimate.of(RoiFootprint.of(ct, mask), SettingsParser.parse(fine + filters));
        // 204 x 201 x 60 voxels of 0.977 x 0.977 x 3 mm at 0.25 mm: 798 x 786 x 720 voxels for the filter.
        assertTrue(with.bytes() - without.bytes() >= 798L * 786 * 720 * 100, with + " vs " + without);
        SettingsException e = assertThrows(SettingsException.class, () -> with.requireAtMost(8L << 30, "sample 'PAT1'"));
        assertTrue(e.getMessage().contains("filters need the whole image resampled to 798 x 786 x 720 voxels"), e.getMessage());
        MemoryEstimate coarse = MemoryEstimate.of(RoiFootprint.of(ct, mask), SettingsParser.parse(filters));
        coarse.requireAtMost(1L << 30, "the CT phantom with a LoG on its own grid");
    }

    @Test
    void aTinyResamplingSpacingIsRefusedBeforeAllocatingNamingTheSampleAndTheSetting(@TempDir Path dir) throws Exception {
        Path settings = Files.writeString(dir.resolve("tiny.yaml"), Files.readString(repo().resolve(CT_2MM))
                .replace("spacing: [2, 2, 2]", "spacing: [0.01, 0.01, 0.01]"));
        long before = usedHeap();

        SettingsException e = assertThrows(SettingsException.class, () -> runIbsi(settings, dir, "STS_007"));

        assertTrue(e.getMessage().startsWith("sample 'STS_007' with settings tiny.yaml would need "), e.getMessage());
        assertTrue(e.getMessage().contains("resampling.spacing [0.01, 0.01, 0.01] makes the ROI's region "), e.getMessage());
        assertTrue(e.getMessage().contains("but this JVM may use at most "), e.getMessage());
        assertTrue(usedHeap() - before < 512L << 20, "refused before the big allocations");
    }

    @Test
    void aTinyBinWidthIsRefusedForItsTextureMatrices(@TempDir Path dir) throws Exception {
        Path settings = Files.writeString(dir.resolve("fine.yaml"), Files.readString(repo().resolve(CT_2MM))
                .replace("bin_width: 25", "bin_width: 0.001"));

        SettingsException e = assertThrows(SettingsException.class, () -> runIbsi(settings, dir, "s1"));

        assertTrue(e.getMessage().contains("discretisation.bin_width 0.001 gives "), e.getMessage());
        assertTrue(e.getMessage().contains(" grey levels, so GLCM and GLRLM matrices of "), e.getMessage());
    }

    @Test
    void aFixedBinNumberWhoseGlcmNoJavaArrayHoldsIsRefusedWhateverTheHeap() {
        RoiFootprint small = new RoiFootprint(new int[] {64, 64, 32}, new double[] {1, 1, 2}, new int[] {10, 10, 5},
                new int[] {40, 40, 20}, -100, 200);
        MemoryEstimate e = MemoryEstimate.of(small, SettingsParser.parse("discretisation: {method: fixed_bin_number, bins: 100000}"));

        assertEquals(Long.MAX_VALUE, e.bytes());
        SettingsException x = assertThrows(SettingsException.class, () -> e.requireAtMost(Long.MAX_VALUE - 1, "s1"));
        assertTrue(x.getMessage().contains("discretisation.bins 100000 gives 100000 grey levels"), x.getMessage());
    }

    @Test
    void noDiscretisationOfIntensitiesBelowOneMakesNoTextureMatricesSoTheyCountForNothing() {
        RoiFootprint ct = new RoiFootprint(new int[] {64, 64, 32}, new double[] {1, 1, 2}, new int[] {10, 10, 5},
                new int[] {40, 40, 20}, -1000, 3000);
        RoiFootprint levels = new RoiFootprint(new int[] {64, 64, 32}, new double[] {1, 1, 2}, new int[] {10, 10, 5},
                new int[] {40, 40, 20}, 1, 3000);

        long withoutMatrices = MemoryEstimate.of(ct, SettingsParser.parse("")).bytes();
        long withMatrices = MemoryEstimate.of(levels, SettingsParser.parse("")).bytes();

        assertTrue(withoutMatrices < 64L << 20, "image and region only: " + withoutMatrices);
        assertTrue(withMatrices > 3000L * 3000 * 8 * 20, "3000 x 3000 GLCMs: " + withMatrices);
    }

    @Test
    void theEstimateNamesTheResampledRegionOfTheIbsiCtPhantom() throws Exception {
        MemoryEstimate e = MemoryEstimate.of(RoiFootprint.of(ct, mask), SettingsParser.parse(
                "resampling: {spacing: [1, 1, 1], interpolation: linear}\ndiscretisation: {method: fixed_bin_number, bins: 8}"));

        assertEquals(-1, e.driver().indexOf("grey levels"), "8 levels are small: " + e.driver());
        e.requireAtMost(Runtime.getRuntime().maxMemory(), "the phantom");
    }

    private FeatureTable runIbsi(Path settings, Path work, String sample) throws Exception {
        Map<String, List<Object>> out = new InMemoryToolContext(BiomarkerTools.IBSI, Map.of("image", List.of(ct),
                "mask", List.of(mask), "settings", List.of(new BiomarkerTypes.SettingsFile(settings.toUri())),
                "roi", List.of("GTV")), work, sample).run();
        return (FeatureTable) out.get("features").get(0);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/radiomics"))) {
                return p;
            }
        }
        throw new IllegalStateException("no examples/radiomics above " + Path.of("").toAbsolutePath());
    }
}
