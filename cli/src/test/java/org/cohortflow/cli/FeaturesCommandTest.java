package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.biomarkers.FeatureExtractor;
import org.cohortflow.biomarkers.adapter.ImagingAdapter;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohortflow features} on the IBSI phantoms, as a PyRadiomics user would run it. */
class FeaturesCommandTest {
    private static final String CT_SETTINGS = """
            resampling: {spacing: [2, 2, 2], interpolation: linear, mask_threshold: 0.5, round: true}
            resegmentation: {range: [-500, 400]}
            discretisation: {method: fixed_bin_size, bin_width: 25}
            ivh: {method: fixed_bin_size, bin_width: 2.5}
            """;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cohortflow.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code shared/data/SUB} beside the repository, or the test is skipped saying where it looked. */
    static Path data(String sub) {
        Path p = CohortflowCommandTest.examples().getParent().resolve("../shared/data").resolve(sub).normalize();
        assumeTrue(Files.exists(p), "shared test data not found at " + p + "; this test needs it");
        return p;
    }

    /** CSV rows keyed by family|feature|aggregation, valued by the printed value (no quoted commas in these columns). */
    private static Map<String, String> rows(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals("sample,roi,family,feature,ibsi_code,aggregation,value,reason", lines.get(0));
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = split(line);
            out.put(f.get(2) + "|" + f.get(3) + "|" + f.get(5), f.get(6));
        }
        return out;
    }

    /** The fields of one CSV line (RFC 4180 quoting). */
    private static List<String> split(String line) {
        try {
            return org.cohortflow.dsl.csv.CsvFile.read(new java.io.StringReader(line)).get(0).cells();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void digitalPhantomNiftiGivesTheLibrarysFeaturesAndTheConsensusVolume(@TempDir Path dir) throws Exception {
        Path phantom = data("ibsi-digital-phantom");
        Path image = phantom.resolve("nifti/image/phantom.nii.gz");
        Path mask = phantom.resolve("nifti/mask/mask.nii.gz");
        Path out = dir.resolve("features.csv");

        Result r = run("features", "--image", image.toString(), "--mask", mask.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("phantom: 482 features"), r.out());
        Map<String, String> written = rows(out);
        assertEquals(482, written.size());
        assertTrue(Files.readAllLines(out).get(1).startsWith("phantom,mask,morph,"), "sample and ROI default to the file names");

        // The command must write exactly what the library computes, value for value.
        Volume v = Nifti.readVolume(image);
        List<Feature> expected = new FeatureExtractor(IbsiSettings.digitalPhantom())
                .extract(ImagingAdapter.toRoiImage(v, Nifti.readMask(mask, v.geometry())));
        for (Feature f : expected) {
            String key = f.family().shortName() + "|" + f.name() + "|" + f.aggregation().label();
            assertEquals(Double.toString(f.value()), written.get(key), key);
        }
        // Parquet holds the same rows and values.
        Path pq = dir.resolve("features.parquet");
        assertEquals(0, run("features", "--image", image.toString(), "--mask", mask.toString(), "--out", pq.toString()).code());
        var table = org.cohortflow.executors.tables.ParquetTables.read(pq);
        assertEquals(482, table.rowCount());
        int feature = -1;
        int value = -1;
        for (int c = 0; c < table.columns().size(); c++) {
            feature = table.columns().get(c).name().equals("feature") ? c : feature;
            value = table.columns().get(c).name().equals("value") ? c : value;
        }
        for (int row = 0; row < table.rowCount(); row++) {
            if (table.value(row, feature).equals("Volume (mesh)")) {
                assertEquals(written.get("morph|Volume (mesh)|3D"), String.valueOf(table.value(row, value)));
            }
        }
        // And the consensus mesh volume, from the reference table rather than a constant here.
        String ref = Files.readAllLines(phantom.resolve("reference-values.csv")).stream()
                .filter(l -> l.startsWith("morph,HCUG,Volume (mesh),RNU0,")).findFirst().orElseThrow();
        List<String> cols = split(ref);
        assertEquals(Double.parseDouble(cols.get(8)), Double.parseDouble(written.get("morph|Volume (mesh)|3D")),
                Double.parseDouble(cols.get(9)));
    }

    @Test
    void ctPhantomFromDicomAndRtstructGivesFiniteFeatures(@TempDir Path dir) throws Exception {
        Path dicom = data("ibsi-ct-phantom/dicom");
        Path settings = Files.writeString(dir.resolve("ct.yaml"), CT_SETTINGS);
        Path out = dir.resolve("ct.csv");
        Result r = run("features", "--image", dicom.resolve("image").toString(), "--mask", dicom.resolve("mask").toString(),
                "--roi", "GTV-1", "--sample", "PAT1", "--settings", settings.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("482 features (0 undefined) for ROI 'GTV-1'"), r.out());
        Map<String, String> written = rows(out);
        assertEquals(482, written.size());
        written.forEach((k, v) -> assertTrue(Double.isFinite(Double.parseDouble(v)), k + " = " + v));
        assertTrue(Files.readAllLines(out).get(1).startsWith("PAT1,GTV-1,"));
    }

    @Test
    void unknownRoiIsAnErrorListingTheAvailableRois(@TempDir Path dir) {
        Path dicom = data("ibsi-ct-phantom/dicom");
        Path rtstruct = dicom.resolve("mask/DCM_RS_00060.dcm");
        Result r = run("features", "--image", dicom.resolve("image").toString(), "--mask", rtstruct.toString(),
                "--roi", "GTV-9", "--out", dir.resolve("x.csv").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(rtstruct.toString()), r.err());
        assertTrue(r.err().contains("no ROI named 'GTV-9'; available: ") && r.err().contains("GTV-1"), r.err());
        assertFalse(Files.exists(dir.resolve("x.csv")));
    }

    @Test
    void badInputsNameTheFileOrKey(@TempDir Path dir) throws Exception {
        Path phantom = data("ibsi-digital-phantom/nifti");
        String image = phantom.resolve("image/phantom.nii.gz").toString();
        String mask = phantom.resolve("mask/mask.nii.gz").toString();
        String out = dir.resolve("f.csv").toString();

        Result missing = run("features", "--image", dir.resolve("nope.nii.gz").toString(), "--mask", mask, "--out", out);
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.nii.gz does not exist"), missing.err());

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "discretisation: {method: fixed_bin_size, bin_widht: 25}\n");
        Result badSettings = run("features", "--image", image, "--mask", mask, "--settings", bad.toString(), "--out", out);
        assertEquals(1, badSettings.code());
        assertTrue(badSettings.err().contains(bad.toString()) && badSettings.err().contains("bin_widht"), badSettings.err());

        Path notNifti = Files.writeString(dir.resolve("junk.nii"), "not an image");
        Result junk = run("features", "--image", notNifti.toString(), "--mask", mask, "--out", out);
        assertEquals(1, junk.code());
        assertTrue(junk.err().contains("junk.nii"), junk.err());

        assertEquals(2, run("features", "--image", image, "--mask", mask).code(), "--out is required");
        assertFalse(Files.exists(dir.resolve("f.csv")));
    }

    @Test
    void helpShowsAnExampleAndTheParquetOption() {
        Result r = run("features", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Example"), r.out());
        assertTrue(r.out().contains("--out FILE.parquet writes the same table"), r.out());
        assertTrue(r.out().lines().allMatch(l -> l.length() <= 80), "lines are wrapped by hand, not by picocli");
    }
}
