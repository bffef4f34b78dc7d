package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --keep sinks}: an object that only jobs of its own task read is not stored; the run writes the same sink
 * bytes as one that keeps everything, a resumed run reuses every job, and a job after it that must run again makes
 * the object again in its task first.
 */
class KeepPolicyTest {
    @TempDir
    Path dir;

    private RunSpec spec(Path run, ExecutionPolicy.Keep keep) {
        NetworkYaml.Loaded n = Fixtures.network(Scenarios.PARQUET_TABLES, run.resolve("sinks"));
        SourceData data = SourceData.builder().add("numbers", "a", "1").add("numbers", "b", "2")
                .add("numbers", "c", "40").build();
        return RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, run.resolve("work").toUri())
                .withExecution(ExecutionPolicy.DEFAULT.withKeep(keep));
    }

    @Test
    void objectsReadOnlyInsideTheirTaskAreNotStoredAndResumeStaysExact() throws Exception {
        try (LocalExecutor local = new LocalExecutor(2)) {
            Path all = dir.resolve("all");
            Path sinks = dir.resolve("sinks");
            assertEquals(0, local.run(spec(all, ExecutionPolicy.Keep.ALL)).exitCode());
            RunReport first = local.run(spec(sinks, ExecutionPolicy.Keep.SINKS));
            assertEquals(0, first.exitCode(), first.summary());
            Map<String, String> expected = Fixtures.outputs(all.resolve("sinks"));
            assertEquals(expected, Fixtures.outputs(sinks.resolve("sinks")));

            Path run = sinks.resolve("work/parquet-tables");
            assertTrue(Files.isDirectory(all.resolve("work/parquet-tables/each/a/out")), "keep all stores the table");
            assertTrue(Files.isRegularFile(run.resolve("each/a/job.json")));
            assertFalse(Files.exists(run.resolve("each/a/out")), "keep sinks leaves the table in memory");
            assertTrue(Files.readString(run.resolve("each/a/job.json")).contains("TRANSIENT"));

            RunReport again = local.run(spec(sinks, ExecutionPolicy.Keep.SINKS).withResume(true));
            assertEquals(0, again.exitCode(), again.summary());
            assertEquals(first.succeeded(), again.cached(), "every job reused: " + again.summary());

            // The Parquet job of sample a must run again: it needs the table, which only a new run of 'each' can give.
            Files.delete(run.resolve("eachParquet/a/job.json"));
            Files.delete(sinks.resolve("sinks/each/a.parquet"));
            RunReport rerun = local.run(spec(sinks, ExecutionPolicy.Keep.SINKS).withResume(true));
            assertEquals(0, rerun.exitCode(), rerun.summary());
            // It runs, and 'each' of sample a is made again in its task first: both are reported run, not cached.
            assertEquals(first.succeeded() - 2, rerun.cached(), rerun.summary());
            assertEquals(new RunReport.NodeSummary("each", 3, 2, 0, 0), rerun.nodes().get(0), rerun.summary());
            List<String> lines = Files.readAllLines(run.resolve("events.jsonl"));
            List<String> states = lines.subList(lines.lastIndexOf(lines.stream().filter(l -> l.contains("\"run-started\""))
                    .reduce((a, b) -> b).orElseThrow()), lines.size()).stream()
                    .filter(l -> l.contains("\"node\":\"each\"") && l.contains("\"sample\":\"a\""))
                    .map(l -> l.replaceAll(".*\"state\":\"([a-z]+)\".*", "$1")).toList();
            assertEquals(List.of("cached", "running", "succeeded"), states, "the job made again is logged as run after its cached line");
            assertEquals(expected, Fixtures.outputs(sinks.resolve("sinks")));
            assertFalse(Files.exists(run.resolve("each/a/out")));
        }
    }

    @Test
    void withKeepNoneTheStoredOutputsGoOnceTheSinksAreWrittenAndAResumedRunMakesThemAgain() throws Exception {
        try (LocalExecutor local = new LocalExecutor(2)) {
            Path all = dir.resolve("all");
            Path none = dir.resolve("none");
            assertEquals(0, local.run(spec(all, ExecutionPolicy.Keep.ALL)).exitCode());
            RunReport first = local.run(spec(none, ExecutionPolicy.Keep.NONE));
            assertEquals(0, first.exitCode(), first.summary());
            Map<String, String> expected = Fixtures.outputs(all.resolve("sinks"));
            assertEquals(expected, Fixtures.outputs(none.resolve("sinks")));
            Path run = none.resolve("work/parquet-tables");
            assertTrue(Files.isDirectory(all.resolve("work/parquet-tables/eachParquet/a/out")));
            assertFalse(Files.exists(run.resolve("eachParquet/a/out")), "the stored Parquet file is gone");
            assertTrue(Files.isRegularFile(run.resolve("eachParquet/a/job.json")), "the record stays");

            RunReport again = local.run(spec(none, ExecutionPolicy.Keep.NONE).withResume(true));
            assertEquals(0, again.exitCode(), again.summary());
            assertEquals(expected, Fixtures.outputs(none.resolve("sinks")));
            assertTrue(again.cached() < first.succeeded(), "the jobs whose outputs are gone ran again: " + again.summary());
        }
    }
}
