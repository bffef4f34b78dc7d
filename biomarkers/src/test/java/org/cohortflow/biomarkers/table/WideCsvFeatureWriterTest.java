package org.cohortflow.biomarkers.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cohortflow.biomarkers.FeatureExtractor;
import org.cohortflow.biomarkers.TestData;
import org.cohortflow.biomarkers.adapter.ImagingAdapter;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.pipeline.BiomarkerTools;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.cohortflow.dsl.csv.CsvFile;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wide table (issue 18, item 3) of two STS CT subjects, read back as pandas or R would. */
class WideCsvFeatureWriterTest {

    private static List<Feature> features(String patient) {
        Path dir = TestData.require("sts-cohort/nifti/" + patient);
        Volume ct = Nifti.readVolume(dir.resolve("CT_image.nii.gz"));
        Mask gtv = Nifti.readMask(dir.resolve("CT_mask.nii.gz"), ct.geometry());
        return new FeatureExtractor(SettingsParser.parse("""
                resegmentation: {range: [-1000, 400]}
                discretisation: {method: fixed_bin_size, bin_width: 100}
                """)).extract(ImagingAdapter.toRoiImage(ct, gtv));
    }

    @Test
    void oneRowPerSampleAndRoiAndOneUniquelyNamedColumnPerFeature(@TempDir Path dir) throws Exception {
        FeatureTable table = new FeatureTable().add("STS_001", "GTV", features("STS_001")).add("STS_002", "GTV", features("STS_002"));
        Path work = Files.createDirectories(dir.resolve("work"));
        BuiltinTypes.CsvFile csv = (BuiltinTypes.CsvFile) new InMemoryToolContext(BiomarkerTools.TO_WIDE_CSV,
                Map.of("table", List.of(table)), work, "cohort").run().get("csv").get(0);
        List<CsvFile.Row> rows = CsvFile.read(Path.of(csv.uri()));

        assertEquals(3, rows.size(), "header and one row per sample and ROI");
        List<String> header = rows.get(0).cells();
        assertEquals(2 + 482, header.size());
        assertEquals(header.size(), new HashSet<>(header).size(), "column names are unique");
        assertTrue(header.contains("cm_NI2N_BTW3") && header.contains("ivh_BC2M_DHQ4_10") && header.contains("ivh_BC2M_DHQ4_90")
                && header.contains("morph_RNU0_DHQ4"), header.toString());
        for (CsvFile.Row row : rows.subList(1, 3)) {
            assertEquals(header.size(), row.cells().size());
            assertEquals("GTV", row.cells().get(1));
        }
        // Every value of the long table is in its column.
        Set<String> checked = new HashSet<>();
        for (FeatureRow r : table.rows()) {
            List<String> cells = rows.get(r.sample().equals("STS_001") ? 1 : 2).cells();
            String cell = cells.get(header.indexOf(WideCsvFeatureWriter.columnName(r.feature())));
            double value = Double.parseDouble(cell);
            if (r.feature().isDefined()) {
                assertEquals(r.feature().value(), value, 0, r.feature().toString());
            } else {
                assertTrue(Double.isNaN(value), r.feature().toString());
            }
            checked.add(r.sample() + WideCsvFeatureWriter.columnName(r.feature()));
        }
        assertEquals(2 * 482, checked.size());
    }
}
