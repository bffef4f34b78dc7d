package org.cohortflow.biomarkers.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cohortflow.biomarkers.TestData;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.settings.SettingsException;
import org.cohortflow.biomarkers.table.FeatureRow;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PyRadiomics parameter file through the tools: biomarkers/Ibsi:1, then the PyRadiomics-named table, on STS_003's CT. */
class PyRadiomicsToolsTest {

    @Test
    void theIbsiToolTakesAPyRadiomicsFileAndTheTableToolNamesItsColumnsAsPyRadiomicsDoes(@TempDir Path work) throws Exception {
        Path dir = TestData.require("sts-cohort/nifti/STS_003");
        Volume ct = Nifti.readVolume(dir.resolve("CT_image.nii.gz"));
        Mask gtv = Nifti.readMask(dir.resolve("CT_mask.nii.gz"), ct.geometry());
        Path params = Files.writeString(work.resolve("params.yaml"), """
                imageType:
                  Original: {}
                featureClass:
                  shape: [MeshVolume, Sphericity]
                  firstorder:
                setting:
                  binWidth: 25
                  label: 1
                """);
        BiomarkerTypes.SettingsFile file = new BiomarkerTypes.SettingsFile(params.toUri());
        FeatureTable table = (FeatureTable) new InMemoryToolContext(BiomarkerTools.IBSI,
                Map.of("image", List.of(ct), "mask", List.of(gtv), "settings", List.of(file), "roi", List.of("GTV")),
                work, "STS_003").run().get("features").get(0);
        Path csv = Path.of(((BuiltinTypes.CsvFile) new InMemoryToolContext(BiomarkerTools.TO_PYRADIOMICS_CSV,
                Map.of("table", List.of(table), "params", List.of(file)), work, "STS_003").run().get("csv").get(0)).uri());
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        List<String> values = List.of(lines.get(1).split(","));
        assertEquals(List.of("sample", "roi", "original_shape_MeshVolume", "original_shape_Sphericity"), header.subList(0, 4));
        assertEquals("STS_003", values.get(0));
        double mean = table.rows().stream().map(FeatureRow::feature)
                .filter(f -> f.ibsiCode().equals("Q4LE") && f.aggregation() == Aggregation.FEATURE_3D).findFirst().orElseThrow().value();
        assertEquals(mean, Double.parseDouble(values.get(header.indexOf("original_firstorder_Mean"))));
        assertTrue(header.contains("original_firstorder_Entropy") && header.contains("original_firstorder_Uniformity"), header.toString());
        // sample, roi, 2 shape features and the 17 of the 19 first-order ones with an IBSI code (not TotalEnergy, StandardDeviation).
        assertEquals(2 + 2 + 17, header.size());
    }

    @Test
    void aPyRadiomicsFileTheToolsCannotHonourIsRefusedWhenTheSettingsFileIsChecked(@TempDir Path work) throws Exception {
        Path params = Files.writeString(work.resolve("normalised.yaml"), "setting:\n  binWidth: 25\n  normalize: true\n");
        BiomarkerTypes.SettingsFile file = new BiomarkerTypes.SettingsFile(params.toUri());
        SettingsException e = assertThrows(SettingsException.class, () -> new InMemoryToolContext(BiomarkerTools.TO_PYRADIOMICS_CSV,
                Map.of("table", List.of(new FeatureTable()), "params", List.of(file)), work, "s").run());
        assertTrue(e.getMessage().contains("normalised.yaml line 3: setting.normalize: true"), e.getMessage());
    }
}
