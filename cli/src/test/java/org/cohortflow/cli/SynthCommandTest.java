package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.synth.LesionShape;
import org.cohortflow.imaging.synth.SubjectTruth;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohortflow synth} as a user runs it. */
class SynthCommandTest {

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cohortflow.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void synthWritesOneDicomCtAndRtstructPerSubjectAndTheTruthTable(@TempDir Path dir) {
        Path cohort = dir.resolve("cohort");
        Result r = run("synth", "--subjects", "2", "--out", cohort.toString(), "--seed", "5", "--shapes", "ellipsoid");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote 2 subjects (96 CT images, 2 RTSTRUCTs) to " + cohort), r.out());
        assertTrue(r.out().contains("DICOM tree: " + cohort.resolve("dicom")), r.out());
        assertTrue(r.out().contains("truth: " + cohort.resolve("truth.csv")), r.out());
        List<SubjectTruth> truth = SyntheticCohort.readTruth(cohort.resolve("truth.csv"));
        assertEquals(List.of("synth-0001", "synth-0002"), truth.stream().map(SubjectTruth::subject).toList());
        assertTrue(truth.stream().allMatch(t -> t.shape() == LesionShape.ELLIPSOID), truth.toString());
        IndexResult index = DicomIndexer.index(cohort.resolve("dicom"), 2);
        assertEquals(List.of(), index.failures());
        assertEquals(2 * 49, index.rows().size());
        assertEquals(List.of("CT", "CT", "RTSTRUCT", "RTSTRUCT"), index.samples().stream().map(s -> s.modality()).sorted().toList());
    }

    @Test
    void synthRefusesAFolderThatIsNotEmptyWithExitCodeOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        Result r = run("synth", "--subjects", "1", "--out", dir.toString());
        assertEquals(1, r.code());
        assertEquals("cohortflow synth: " + dir + ": output folder is not empty", r.err().strip());
        assertEquals("keep me", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void synthUsageErrorsExitWithTwo(@TempDir Path dir) {
        String out = dir.resolve("c").toString();
        Result missing = run("synth", "--subjects", "2");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("Missing required option: '--out=DIR'"), missing.err());
        Result zero = run("synth", "--subjects", "0", "--out", out);
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--subjects must be at least 1"), zero.err());
        Result shape = run("synth", "--subjects", "1", "--out", out, "--shapes", "cube");
        assertEquals(2, shape.code());
        assertTrue(shape.err().contains("unknown lesion shape 'cube'"), shape.err());
        assertTrue(Files.notExists(dir.resolve("c")), "nothing written on a usage error");
    }

    @Test
    void synthHelpExplainsTheLayoutAndTheTruthFileWithAnExample() {
        Result r = run("synth", "--help");
        assertEquals(0, r.code());
        for (String expected : List.of("DIR/truth.csv", "DIR/dicom/synth-0001/CT/CT_0001.dcm", "DIR/dicom/synth-0001/RTSTRUCT/rtstruct.dcm",
                "analytic_volume_mm3 is 4/3*pi*r1*r2*r3", "Example:", "cohortflow synth --subjects 10 --out", "Exit codes:")) {
            assertTrue(r.out().contains(expected), "help lacks '" + expected + "':\n" + r.out());
        }
        SynthOptions d = SynthOptions.defaults();
        assertTrue(r.out().contains(String.format(Locale.ROOT, "%dx%dx%d voxels of %sx%sx%s mm", d.columns(), d.rows(), d.slices(),
                num(d.pixelSpacingMm()), num(d.pixelSpacingMm()), num(d.sliceSpacingMm()))), "help states the default grid");
        assertTrue(r.out().contains(num(d.minRadiusMm()) + "-" + num(d.maxRadiusMm()) + " mm"), "help states the default radii");
        for (String column : SubjectTruth.columns()) assertTrue(r.out().contains(column), "help lacks column " + column);
        assertTrue(run("--help").out().contains("synth"), "listed among the sub-commands");
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
