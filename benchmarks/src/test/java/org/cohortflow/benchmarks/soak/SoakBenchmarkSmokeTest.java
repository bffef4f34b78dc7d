package org.cohortflow.benchmarks.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak end to end, as small as it gets: one subject, one local run killed once with kill -9 by the harness
 * and resumed, as real child JVMs of the cli. Checks the harness (the kill happened, the resume completed, the
 * reports agree), and that the resumed run's cohort table is byte-identical to the uninterrupted run's; no
 * timings.
 */
class SoakBenchmarkSmokeTest {
    /** With this seed the kill comes at a third of the uninterrupted run's time: well inside the run. */
    private static final long SEED = 13;

    @Test
    void aRunKilledOnceAndResumedCompletesWithTheUninterruptedRunsCohortTable(@TempDir Path dir) throws Exception {
        Path network = SoakBenchmark.bundledNetwork(dir.resolve("bundled"));
        SoakBenchmark.Options options = new SoakBenchmark.Options(List.of("local"), 1, 1, SEED, 1, network, List.of(),
                "local[1]", dir.resolve("out"), Optional.empty(), System.getProperty("java.class.path"), List.of("-Xmx512m"),
                Optional.empty());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SoakResult r = new SoakBenchmark(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        SoakResult.ExecutorSoak local = r.executors().get(0);
        assertEquals(0, local.reference().exitCode(), log.toString(StandardCharsets.UTF_8));
        SoakResult.Run run = local.runs().get(0);
        assertTrue(run.completed(), log.toString(StandardCharsets.UTF_8));
        assertEquals(1, run.kills(), log.toString(StandardCharsets.UTF_8));
        assertEquals(1, run.resumes());
        SoakResult.Attempt killed = run.attempts().get(0);
        assertTrue(killed.killed() && killed.exitCode() == 137 && killed.killAfterMs() > 0, killed.toString());
        assertTrue(killed.killAfterMs() < Math.round(local.reference().seconds() * 1000), killed.toString());
        assertTrue(run.attempts().get(1).resume());
        assertEquals(0, run.attempts().get(1).exitCode());
        assertEquals(List.of("cohort.csv"), List.copyOf(SinkSet.read(dir.resolve("out/runs/local-reference/sinks")).files().keySet()));
        assertEquals(List.of(), run.differences(), "the resumed cohort table is the uninterrupted run's");
        assertTrue(r.leftovers().processes().isEmpty(), r.leftovers().toString());

        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/soak.json").toFile());
        assertEquals(1, json.path("executors").get(0).path("kills").asInt());
        assertEquals(r.passed(), json.path("passed").asBoolean());
        String md = Files.readString(dir.resolve("out/soak.md"));
        assertTrue(md.contains("| local | 1 | 1 | 1 | 1 of 1 |"), md);
    }
}
