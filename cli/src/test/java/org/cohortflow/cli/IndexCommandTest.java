package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cohortflow.dsl.csv.CsvFile;
import org.cohortflow.dsl.types.Tabular;
import org.cohortflow.executors.tables.ParquetTables;
import org.cohortflow.imaging.synth.SubjectTruth;
import org.cohortflow.imaging.synth.SyntheticCohort;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohortflow index} on a synthetic DICOM cohort: local and Hadoop URIs, sample sheets, filters, errors. */
class IndexCommandTest {
    @TempDir
    static Path dir;

    private static Path tree;
    private static List<SubjectTruth> truth;

    @BeforeAll
    static void cohort() {
        CohortflowCommandTest.Result synth = CohortflowCommandTest.run("synth", "--subjects", "2", "--out",
                dir.resolve("cohort").toString(), "--seed", "5");
        assertEquals(0, synth.code(), synth.err());
        tree = SyntheticCohort.dicomRoot(dir.resolve("cohort"));
        truth = SyntheticCohort.readTruth(dir.resolve("cohort").resolve(SyntheticCohort.TRUTH_CSV));
    }

    @Test
    void aFileUriReadThroughHadoopGivesTheSameIndexAsTheLocalFolder() throws Exception {
        CohortflowCommandTest.Result local = CohortflowCommandTest.run("index", tree.toString(), "--out", dir.resolve("a.csv").toString());
        CohortflowCommandTest.Result hadoop = CohortflowCommandTest.run("index", tree.toUri().toString(), "--out", dir.resolve("b.csv").toString(),
                "--hadoop", "fs.defaultFS=file:///");
        assertEquals(0, local.code(), local.err());
        assertEquals(0, hadoop.code(), hadoop.err());
        List<String> rows = Files.readAllLines(dir.resolve("a.csv"));
        assertEquals(rows, Files.readAllLines(dir.resolve("b.csv")));
        assertTrue(rows.get(1).startsWith(tree.toAbsolutePath() + "/"), "paths are absolute local paths: " + rows.get(1));
    }

    @Test
    void anIndexReadBySparkTasksEqualsTheThreadedOneWithItsSheet() throws Exception {
        Files.writeString(tree.resolve("notes.txt"), "not DICOM\n");
        try {
            List<String> sheetOptions = List.of("--modality", "CT", "--series-source", "ct", "--rtstruct-source", "rtstruct");
            List<String> threaded = new java.util.ArrayList<>(List.of("index", tree.toString(), "--out", dir.resolve("t.csv").toString(),
                    "--sheet", dir.resolve("t-sheet.csv").toString()));
            threaded.addAll(sheetOptions);
            List<String> spark = new java.util.ArrayList<>(List.of("index", tree.toString(), "--out", dir.resolve("s.csv").toString(),
                    "--sheet", dir.resolve("s-sheet.csv").toString(), "--executor", "spark", "--master", "local[2]", "--threads", "2",
                    "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1"));
            spark.addAll(sheetOptions);
            CohortflowCommandTest.Result t = CohortflowCommandTest.run(threaded.toArray(String[]::new));
            CohortflowCommandTest.Result s = CohortflowCommandTest.run(spark.toArray(String[]::new));
            assertEquals(0, t.code(), t.err());
            assertEquals(0, s.code(), s.err());
            assertEquals(Files.readAllLines(dir.resolve("t.csv")), Files.readAllLines(dir.resolve("s.csv")));
            assertEquals(Files.readAllLines(dir.resolve("t-failures.csv")), Files.readAllLines(dir.resolve("s-failures.csv")));
            assertEquals(2, Files.readAllLines(dir.resolve("s-failures.csv")).size(), "the text file is reported");
            assertEquals(Files.readAllLines(dir.resolve("t-sheet.csv")), Files.readAllLines(dir.resolve("s-sheet.csv")));
        } finally {
            Files.delete(tree.resolve("notes.txt"));
        }
    }

    @Test
    void aParquetIndexHoldsTheCsvIndexValueForValue() throws Exception {
        CohortflowCommandTest.Result csv = CohortflowCommandTest.run("index", tree.toString(), "--out", dir.resolve("p.csv").toString());
        CohortflowCommandTest.Result parquet = CohortflowCommandTest.run("index", tree.toString(), "--out", dir.resolve("p.parquet").toString());
        assertEquals(0, csv.code(), csv.err());
        assertEquals(0, parquet.code(), parquet.err());
        assertTrue(Files.exists(dir.resolve("p-failures.csv")));
        List<CsvFile.Row> rows = CsvFile.read(dir.resolve("p.csv"));
        ParquetTables.Table table = ParquetTables.read(dir.resolve("p.parquet"));
        assertEquals(rows.get(0).cells(), table.columns().stream().map(Tabular.Column::name).toList());
        assertEquals(rows.size() - 1, table.rowCount());
        for (int r = 0; r < table.rowCount(); r++) {
            for (int c = 0; c < table.columns().size(); c++) {
                Object v = table.value(r, c);
                assertEquals(rows.get(r + 1).cells().get(c), v == null ? "" : v.toString(), "row " + r + " column " + c);
            }
        }
        assertTrue(table.rows().stream().anyMatch(row -> row.get(6) == null), "the RTSTRUCT has no rows value");
        assertTrue(table.rows().stream().anyMatch(row -> Long.valueOf(96).equals(row.get(6))), "CT slices are 96 rows high");
    }

    @Test
    void theSampleSheetHasOneSeriesPerSubjectWithItsRtstructAndTheConstantColumns() throws Exception {
        Path sheet = dir.resolve("sheets/samples.csv");
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("index", tree.toString(), "--out", dir.resolve("i.csv").toString(),
                "--sheet", sheet.toString(), "--modality", "CT", "--series-source", "ct", "--rtstruct-source", "rtstruct",
                "--sheet-column", "roi=GTV");
        assertEquals(0, r.code(), r.err());
        List<CsvFile.Row> rows = CsvFile.read(sheet);
        assertEquals(List.of("sample_id", "ct", "rtstruct", "roi"), rows.get(0).cells());
        assertEquals(truth.size() + 1, rows.size());
        for (int i = 0; i < truth.size(); i++) {
            SubjectTruth t = truth.get(i);
            List<String> cells = rows.get(i + 1).cells();
            assertEquals(t.subject(), cells.get(0));
            assertTrue(cells.get(1).endsWith("?series=" + t.seriesUid()), cells.get(1));
            assertEquals(dir.resolve("cohort").resolve(t.rtstruct()).toAbsolutePath().normalize().toUri().toString(), cells.get(2));
            assertEquals("GTV", cells.get(3));
        }
    }

    @Test
    void filtersThatMatchNothingGiveAHeaderOnlySheet() throws Exception {
        Path sheet = dir.resolve("none.csv");
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("index", tree.toString(), "--out", dir.resolve("n.csv").toString(),
                "--sheet", sheet.toString(), "--modality", "CT", "--series-description", "no such description");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("sample_id,series"), Files.readAllLines(sheet));
        assertTrue(r.out().contains("sample sheet: 0 series"), r.out());
    }

    @Test
    void aMissingRootIsAnErrorThatNamesIt() {
        Path missing = dir.resolve("no-such-tree");
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("index", missing.toString(), "--out", dir.resolve("m.csv").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(missing + ": cannot list files: no such file or folder"), r.err());
        CohortflowCommandTest.Result bad = CohortflowCommandTest.run("index", "nosuchscheme://x/y", "--out", dir.resolve("m.csv").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("nosuchscheme://x/y"), bad.err());
    }

    @Test
    void aSeriesDescriptionThatIsNotARegularExpressionIsAUsageError() {
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("index", tree.toString(), "--out", dir.resolve("r.csv").toString(),
                "--sheet", dir.resolve("r-sheet.csv").toString(), "--series-description", "CT (venous");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unclosed group"), r.err());
        assertTrue(Files.notExists(dir.resolve("r.csv")), "nothing is written for a usage error");
    }
}
