package org.cohortflow.benchmarks.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cohort benchmark end to end on a tiny synthetic cohort: every measurement runs for real and the
 * reports are complete and consistent. Checks no timings (the machine is shared), only that the numbers
 * exist and the results of all routes are the same.
 */
class CohortBenchmarkSmokeTest {

    @Test
    void measuresToolsExecutorsAndProcessPerJobAndWritesSelfContainedReports(@TempDir Path dir) throws Exception {
        CohortBenchmark.Options options = new CohortBenchmark.Options(List.of("local"), List.of(1, 2), Optional.empty(), 2,
                Optional.empty(), dir.resolve("out"), Optional.empty(), 3, "GTV", "CT", "ct", "rtstruct",
                Optional.empty(), Optional.empty(), 1, 1, 2, Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CohortBenchResult r = new CohortBenchmark(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        assertEquals(2, r.cohort().subjects());
        assertEquals(List.of("local", "local"), r.runs().stream().map(CohortBenchResult.Run::executor).toList());
        for (CohortBenchResult.Run run : r.runs()) {
            assertTrue(run.sameAsTools(), "the " + run.executor() + " run gave the tools' cohort table");
            assertEquals(2, run.wallsMs().size());
            assertEquals(run.wallMs(), run.wallsMs().stream().mapToDouble(Double::doubleValue).min().orElseThrow());
            assertTrue(run.subjectsPerMinute() > 0 && run.overheadShare() < 1);
            assertEquals(List.of("volume", "mask", "features", "cohort").stream().sorted().toList(),
                    run.stages().stream().map(CohortBenchResult.Stage::node).sorted().toList());
            assertEquals(2, run.stages().stream().filter(s -> s.node().equals("features")).findFirst().orElseThrow().jobs());
        }
        assertEquals(2, r.runs().get(1).slots());
        // One subject through three JVMs, then the merge in a fourth.
        assertEquals(4, r.baseline().processes());
        assertEquals(1, r.baseline().subjects());

        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/cohort-bench.json").toFile());
        assertEquals(2, json.path("runs").size());
        assertTrue(json.path("tools").path("perTool").has("biomarkers/Ibsi:1"));
        String html = Files.readString(dir.resolve("out/cohort-bench.html"));
        assertTrue(html.contains("<svg"));
        assertTrue(html.contains("Scaling from 1 to more cores") && html.contains("Against one process per job"));
        // Self-contained: the only URL is the SVG namespace.
        assertFalse(html.replace("http://www.w3.org/2000/svg", "").matches("(?s).*(https?:|src=|<script|<link).*"), html);
    }
}
