package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.spark.SparkSettings;
import org.cohortflow.executors.testing.Fixtures;
import org.cohortflow.executors.testing.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs past their timeout fail on both executors, the rest of the cohort goes on: command-line tools without a
 * timeout of their own get the run's default and are killed with their whole process tree; Java tools are
 * interrupted and given up, also when they ignore the interrupt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeoutTest {
    private static final Duration DEFAULT = Duration.ofSeconds(3);

    private LocalExecutor local;
    private SparkExecutor spark;

    @BeforeAll
    void start() {
        local = new LocalExecutor(2, DEFAULT);
        spark = SparkExecutor.create(new SparkSettings("local[2]", 1, Map.of("spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1")), DEFAULT);
    }

    @AfterAll
    void stop() {
        local.close();
        spark.close();
    }

    @Test
    void aCommandLineToolWithoutTimeoutIsKilledWithItsChildrenAtTheRunsDefaultOnTheLocalExecutor(@TempDir Path dir)
            throws IOException {
        aCommandLineToolWithoutTimeoutIsKilledAtTheRunsDefault(local, dir);
    }

    @Test
    void aCommandLineToolWithoutTimeoutIsKilledWithItsChildrenAtTheRunsDefaultOnSpark(@TempDir Path dir) throws IOException {
        aCommandLineToolWithoutTimeoutIsKilledAtTheRunsDefault(spark, dir);
    }

    @Test
    void javaToolsPastTheirTimeoutFailAndTheOtherSamplesCompleteOnTheLocalExecutor(@TempDir Path dir) {
        javaToolsPastTheirTimeoutFail(local, dir);
    }

    @Test
    void javaToolsPastTheirTimeoutFailAndTheOtherSamplesCompleteOnSpark(@TempDir Path dir) {
        javaToolsPastTheirTimeoutFail(spark, dir);
    }

    @Test
    void whatASucceedingToolLeavesRunningInTheBackgroundDoesNotOutliveItsJob(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("pids.log");
        NetworkYaml.Loaded n = Fixtures.network("""
                network: detach
                sources:
                  numbers: {type: Int}
                nodes:
                  detach: {tool: test/Detach:1.0, inputs: {value: numbers}, parameters: {log: "LOG"}}
                sinks:
                  seven: {from: detach.seven, url: "file:///x/{sample_id}.txt"}
                """.replace("LOG", log.toString()), dir.resolve("sinks"));
        SourceData data = SourceData.builder().add("numbers", "a", "1").add("numbers", "b", "2").build();

        RunReport r = local.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri()));

        assertEquals(0, r.exitCode(), r.summary());
        List<String> pids = Files.readAllLines(log);
        assertEquals(2, pids.size(), pids.toString());
        for (String pid : pids) {
            assertFalse(Processes.running(Long.parseLong(pid)), "background process " + pid + " outlived its job");
        }
    }

    private void aCommandLineToolWithoutTimeoutIsKilledAtTheRunsDefault(Executor executor, Path dir) throws IOException {
        Path log = dir.resolve("pids.log");
        NetworkYaml.Loaded n = Fixtures.network("""
                network: naps
                sources:
                  seconds: {type: Int}
                nodes:
                  nap: {tool: test/Nap:1.0, inputs: {seconds: seconds}, parameters: {log: "LOG"}}
                sinks:
                  doubled: {from: nap.doubled, url: "file:///x/{sample_id}.txt"}
                """.replace("LOG", log.toString()), dir.resolve("sinks"));
        SourceData data = SourceData.builder().add("seconds", "quick", "0").add("seconds", "short", "1")
                .add("seconds", "stuck", "600").build();
        long start = System.nanoTime();
        RunReport r = executor.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri()));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

        assertTrue(seconds < 120, "the run took " + seconds + " s: the stuck tool was not stopped at its timeout");
        assertEquals(1, r.exitCode(), r.summary());
        assertEquals(1, r.failures().size(), r.summary());
        RunReport.Failure f = r.failures().get(0);
        assertEquals("stuck", f.sample());
        assertEquals("sample 'stuck': tool test/Nap:1.0 timed out after 3s and was killed with every process it "
                + "started (the run's default timeout; set one per tool or with --timeout)", f.error());
        assertTrue(f.command().contains("sh -c"), f.command());
        assertEquals(Map.of("quick.txt", "0\n", "short.txt", "2\n"), Fixtures.outputs(dir.resolve("sinks/doubled")));
        List<String> pids = Files.readAllLines(log);
        assertEquals(3, pids.size(), pids.toString());
        for (String line : pids) {
            for (String pid : line.split(" ")) {
                assertFalse(Processes.running(Long.parseLong(pid)), "process " + pid + " of " + pids + " outlived its job");
            }
        }
        assertEquals(List.of(), jobFolders(), "job folders left in " + System.getProperty("java.io.tmpdir"));
    }

    private void javaToolsPastTheirTimeoutFail(Executor executor, Path dir) {
        NetworkYaml.Loaded n = Fixtures.network("""
                network: java-timeouts
                sources:
                  millis: {type: Int}
                nodes:
                  slow: {tool: test/Slow:1.0, inputs: {value: millis, millis: millis}}
                  stubborn: {tool: test/Stubborn:1.0, inputs: {value: millis, millis: millis}}
                sinks:
                  slow: {from: slow.result, url: "file:///x/{sample_id}.txt"}
                  stubborn: {from: stubborn.result, url: "file:///x/{sample_id}.txt"}
                """, dir.resolve("sinks"));
        SourceData data = SourceData.builder().add("millis", "fast", "10").add("millis", "late", "4000").build();
        RunReport r = executor.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri()));

        assertEquals(1, r.exitCode(), r.summary());
        assertEquals(2, r.failures().size(), r.summary());
        Map<String, String> errors = new java.util.TreeMap<>();
        r.failures().forEach(f -> errors.put(f.node() + "/" + f.sample(), f.error()));
        assertEquals(Map.of(
                "slow/late", "sample 'late': tool test/Slow:1.0 timed out after 3s; its thread was interrupted and the "
                        + "job given up (the run's default timeout; set one per tool or with --timeout)",
                "stubborn/late", "sample 'late': tool test/Stubborn:1.0 timed out after 1s; its thread was interrupted "
                        + "and the job given up (the timeout of tool test/Stubborn:1.0)"), errors);
        assertEquals(Map.of("fast.txt", "11\n"), Fixtures.outputs(dir.resolve("sinks/slow")));
        assertEquals(Map.of("fast.txt", "11\n"), Fixtures.outputs(dir.resolve("sinks/stubborn")));
    }

    /** Job folders of this JVM still on disk (other JVMs on the machine may have their own). */
    private static List<Path> jobFolders() throws IOException {
        String me = Long.toString(ProcessHandle.current().pid());
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("cohortflow-job-"))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("owner")).startsWith(me + " ");
                        } catch (IOException e) {
                            return false;
                        }
                    }).toList();
        }
    }
}
