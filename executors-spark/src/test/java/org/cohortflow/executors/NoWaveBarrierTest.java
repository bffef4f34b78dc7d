package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * A run has no barrier per wave: a sample's jobs after a first step start when that sample's first step is
 * done, and its sink output is written then, while another sample's first step still runs. The other sample's
 * job waits for a file the test creates only after it has seen the first sample's sink output (no timing). With
 * one job per task, the first sample's second job is a task of its own that must start while the other sample's
 * first job runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoWaveBarrierTest {
    private static final String NETWORK = """
            network: no-barrier
            sources:
              numbers: {type: Int}
              gates: {type: String}
            nodes:
              first: {tool: test/WaitForGate:1.0, inputs: {value: numbers, gate: gates}}
              second: {tool: basic/AddInt:1.0, inputs: {left: first.value}, parameters: {right: 100}}
            sinks:
              out: {from: second.result, url: "x/{sample_id}.txt"}
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

    private void check(Executor executor, TaskForming.Fusion fusion) throws Exception {
        String name = executor.name() + "-" + fusion;
        Path run = dir.resolve(name);
        Path open = Files.writeString(dir.resolve(name + "-open"), "open");
        Path gate = dir.resolve(name + "-gate");
        NetworkYaml.Loaded n = Fixtures.network(NETWORK, run.resolve("sinks"));
        SourceData data = SourceData.builder().add("numbers", "fast", "1").add("gates", "fast", open.toString())
                .add("numbers", "slow", "2").add("gates", "slow", gate.toString()).build();
        RunSpec spec = RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, run.resolve("work").toUri())
                .withExecution(ExecutionPolicy.DEFAULT.withFusion(fusion));
        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> executor.run(spec));
        try {
            Path fastSink = run.resolve("sinks/out/fast.txt");
            awaitFile(fastSink, running);
            assertEquals("101\n", Files.readString(fastSink));
            assertFalse(Files.exists(run.resolve("sinks/out/slow.txt")), "the slow sample cannot be done: its gate is shut");
            assertFalse(running.isDone(), "the run waits for the slow sample");
        } finally {
            Files.writeString(gate, "open");
        }
        RunReport report = running.get(10, TimeUnit.MINUTES);
        assertEquals(0, report.exitCode(), report.summary());
        assertEquals("102\n", Files.readString(run.resolve("sinks/out/slow.txt")));
    }

    /** Waits (generously) for a file, failing early when the run ended without it. */
    private static void awaitFile(Path p, CompletableFuture<RunReport> running) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(p) && System.nanoTime() < deadline) {
            if (running.isDone()) {
                RunReport r = running.get();
                throw new AssertionError(p + " was not written and the run ended: " + r.summary());
            }
            Thread.sleep(50);
        }
        assertTrue(Files.exists(p), p + " was not written while the other sample's job waited");
    }

    @Test
    void aSinkOutputIsWrittenWhileAnotherSamplesJobStillRunsOnTheLocalExecutor() throws Exception {
        try (LocalExecutor local = new LocalExecutor(2)) {
            check(local, TaskForming.Fusion.SAMPLE);
        }
    }

    @Test
    void withOneJobPerTaskAJobStartsWhenItsOwnInputIsReadyWhileAnotherSamplesJobStillRunsOnTheLocalExecutor()
            throws Exception {
        try (LocalExecutor local = new LocalExecutor(2)) {
            check(local, TaskForming.Fusion.NONE);
        }
    }

    @Test
    void withOneJobPerTaskAJobStartsWhenItsOwnInputIsReadyWhileAnotherSamplesJobStillRunsOnSpark() throws Exception {
        check(spark, TaskForming.Fusion.NONE);
    }

    @Test
    void aSinkOutputIsWrittenWhileAnotherSamplesJobStillRunsOnSpark() throws Exception {
        check(spark, TaskForming.Fusion.SAMPLE);
    }
}
