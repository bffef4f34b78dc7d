package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.schedule.TaskForming;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every job of a sample that needs only that sample's jobs runs in the sample's one task, diamonds included
 * (two independent jobs of a sample and a third that needs both), on both executors, with the same sink bytes
 * as a run of one job per task. Tasks are counted from the run's {@code task} events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FusedTasksTest {
    static final String DIAMOND = """
            network: diamond
            sources:
              numbers: {type: Int}
            nodes:
              left: {tool: basic/AddInt:1.0, inputs: {left: numbers}, parameters: {right: 1}}
              right: {tool: basic/AddInt:1.0, inputs: {left: numbers}, parameters: {right: 2}}
              both: {tool: basic/AddInt:1.0, inputs: {left: left.result, right: right.result}}
              twice: {tool: basic/AddInt:1.0, inputs: {left: both.result, right: left.result}}
              total: {tool: basic/Sum:1.0, inputs: {values: {from: twice.result, collapse: numbers}}}
            sinks:
              each: {from: twice.result, url: "x/{sample_id}.txt"}
              total: {from: total.total, url: "x/total.txt"}
            """;

    private SparkExecutor spark;

    @TempDir
    Path dir;

    @BeforeAll
    void startSpark() {
        spark = SharedSpark.start();
    }

    @AfterAll
    void stopSpark() {
        spark.close();
    }

    private RunSpec spec(Path run, TaskForming.Fusion fusion) {
        NetworkYaml.Loaded n = Fixtures.network(DIAMOND, run.resolve("sinks"));
        SourceData data = SourceData.builder().add("numbers", "a", "1").add("numbers", "b", "20")
                .add("numbers", "c", "300").build();
        return RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, run.resolve("work").toUri())
                .withExecution(ExecutionPolicy.DEFAULT.withFusion(fusion));
    }

    /** The run's tasks as "SAMPLE: node,node,...", from its task events. */
    static List<String> tasks(Path runFolder) throws IOException {
        List<String> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(runFolder.resolve("events.jsonl"))) {
            JsonNode e = json.readTree(line);
            if (e.path("type").asText().equals("task")) {
                out.add(e.path("sample").asText() + ": " + e.path("detail").asText());
            }
        }
        out.sort(null);
        return out;
    }

    private void check(Executor executor) throws IOException {
        Path fused = dir.resolve(executor.name() + "-fused");
        Path unfused = dir.resolve(executor.name() + "-unfused");
        RunReport f = executor.run(spec(fused, TaskForming.Fusion.SAMPLE));
        RunReport u = executor.run(spec(unfused, TaskForming.Fusion.NONE));
        assertEquals(0, f.exitCode(), f.summary());
        assertEquals(0, u.exitCode(), u.summary());

        assertEquals(List.of("a: left,right,both,twice", "all: total", "b: left,right,both,twice",
                "c: left,right,both,twice"), tasks(fused.resolve("work/diamond")));
        assertEquals(13, tasks(unfused.resolve("work/diamond")).size(), "one task per job without fusion");
        Map<String, String> expected = Fixtures.outputs(unfused.resolve("sinks"));
        assertEquals(new TreeMap<>(Map.of("each/a.txt", "7\n", "each/b.txt", "64\n", "each/c.txt", "904\n",
                "total/total.txt", "975.0\n")), expected);
        assertEquals(expected, Fixtures.outputs(fused.resolve("sinks")));
    }

    @Test
    void aDiamondOfJobsRunsAsOneTaskPerSampleWithTheSameSinksAsOneJobPerTaskOnTheLocalExecutor() throws IOException {
        try (LocalExecutor local = new LocalExecutor(2)) {
            check(local);
        }
    }

    @Test
    void aDiamondOfJobsRunsAsOneTaskPerSampleWithTheSameSinksAsOneJobPerTaskOnSpark() throws IOException {
        check(spark);
    }

    @Test
    void aResumedFusedRunReusesEveryJob() throws IOException {
        try (LocalExecutor local = new LocalExecutor(2)) {
            Path run = dir.resolve("resumed");
            RunReport first = local.run(spec(run, TaskForming.Fusion.SAMPLE));
            RunReport again = local.run(spec(run, TaskForming.Fusion.SAMPLE).withResume(true));
            assertEquals(0, again.exitCode(), again.summary());
            assertEquals(first.succeeded(), again.cached(), again.summary());
            assertFalse(again.succeeded() == 0);
        }
    }
}
