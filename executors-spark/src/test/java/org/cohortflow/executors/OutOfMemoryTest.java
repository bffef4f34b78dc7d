package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sample whose job runs out of memory fails alone, with a clear error, on both executors. On Spark an
 * {@link OutOfMemoryError} escaping a task makes Spark end the executor JVM (exit 52), which in {@code local[N]}
 * is the driver: the whole run died, and every resume died the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutOfMemoryTest {
    private static final String NETWORK = """
            network: memory
            sources:
              numbers: {type: Int}
            nodes:
              grow: {tool: test/Allocate:1.0, inputs: {value: numbers}, parameters: {bad: 2}}
              plus: {tool: basic/AddInt:1.0, inputs: {left: grow.result}, parameters: {right: 100}}
            sinks:
              out: {from: plus.result, url: "file:///x/{sample_id}.txt"}
            """;

    private SparkExecutor spark;

    @BeforeAll
    void start() {
        spark = SharedSpark.start();
    }

    @AfterAll
    void stop() {
        spark.close();
    }

    @Test
    void aSampleThatRunsOutOfMemoryOnSparkFailsAloneAndTheRunAndItsResumeComplete(@TempDir Path dir) throws Exception {
        aSampleThatRunsOutOfMemoryFailsAlone(spark, dir);
    }

    @Test
    void aSampleThatRunsOutOfMemoryOnTheLocalExecutorFailsAlone(@TempDir Path dir) throws Exception {
        try (LocalExecutor local = new LocalExecutor(2)) {
            aSampleThatRunsOutOfMemoryFailsAlone(local, dir);
        }
    }

    private void aSampleThatRunsOutOfMemoryFailsAlone(Executor executor, Path dir) throws Exception {
        NetworkYaml.Loaded n = Fixtures.network(NETWORK, dir.resolve("sinks"));
        SourceData data = SourceData.builder().add("numbers", "one", "1").add("numbers", "two", "2")
                .add("numbers", "three", "3").build();
        RunSpec spec = RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri());

        for (RunSpec run : List.of(spec, spec.withResume(true))) {
            RunReport r = executor.run(run);

            assertEquals(1, r.exitCode(), r.summary());
            assertEquals(1, r.failures().size(), r.summary());
            RunReport.Failure f = r.failures().get(0);
            assertEquals("grow", f.node());
            assertEquals("two", f.sample());
            assertTrue(f.error().startsWith("sample 'two': tool test/Allocate:1.0 ran out of memory ("), f.error());
            assertTrue(f.error().contains("this JVM may use at most "), f.error());
            assertEquals(List.of(new RunReport.Missing("plus", "two", "job grow/two failed")), r.missing());
            assertEquals(Map.of("one.txt", "102\n", "three.txt", "104\n"), Fixtures.outputs(dir.resolve("sinks/out")));
            assertTrue(Files.isRegularFile(dir.resolve("work/memory/report.json")));
        }
    }
}
