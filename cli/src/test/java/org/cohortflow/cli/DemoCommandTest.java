package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cohortflow.biomarkers.table.CsvFeatureReader;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.executors.tables.ParquetTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void theDemoSynthesisesACohortRunsTheRadiomicsNetworkAndWritesTheSummaryAndAnHtmlReport(@TempDir Path dir)
            throws Exception {
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("demo", "--compute-only", "--subjects", "2", "--executor", "local",
                "--work", dir.toString(), "--progress", "off");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("subjects: 2 ok, 0 failed"), r.out());
        assertTrue(r.out().contains("features: "), r.out());

        Path folder;
        try (Stream<Path> s = Files.list(dir)) {
            folder = s.filter(p -> p.getFileName().toString().startsWith("demo-")).findFirst().orElseThrow();
        }
        FeatureTable table = CsvFeatureReader.read(folder.resolve("results/cohort-features.csv"));
        assertEquals(List.of("synth-0001", "synth-0002"), table.rows().stream().map(x -> x.sample()).distinct().toList());
        assertEquals(table.size(), ParquetTables.read(folder.resolve("results/cohort-features.parquet")).rowCount());
        assertTrue(Files.isRegularFile(folder.resolve("results/subjects/synth-0002.json")));

        // The printed volume check is the run's own measurement: mesh volumes within 3% of the analytic ones.
        Matcher m = Pattern.compile("(synth-\\d+)\\s+\\S+\\s+ok\\s+analytic\\s+(\\d+) mm3\\s+mesh\\s+(\\d+) mm3").matcher(r.out());
        int checked = 0;
        while (m.find()) {
            double analytic = Double.parseDouble(m.group(2));
            assertEquals(analytic, Double.parseDouble(m.group(3)), 0.03 * analytic, m.group(1));
            checked++;
        }
        assertEquals(2, checked, r.out());

        String html = Files.readString(folder.resolve("report.html"));
        assertTrue(html.startsWith("<!doctype html>"));
        assertTrue(html.contains("synth-0001") && html.contains("synth-0002"));
        assertTrue(html.contains("Volume (mesh)") && html.contains("<circle"), "a strip plot per feature");
        assertTrue(html.contains("Time per stage") && html.contains(">features<"), "stage timings");
        assertTrue(html.contains("<a href=\"work/radiomics/report.html\">") && Files.isRegularFile(folder.resolve("work/radiomics/report.html")),
                "the demo's page links the run's own report page");
        assertTrue(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"),
                "the report is self-contained");
        assertTrue(r.out().contains(folder.resolve("report.html").toString()), r.out());
    }
}
