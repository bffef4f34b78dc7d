package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command-line tool that asks for 2 cores runs alone on 2 cores, on both executors: the jobs' own
 * start and end times (written by the tool) never overlap.
 */
class CoresTest {
    private static final int SAMPLES = 4;
    private static SparkExecutor spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = SharedSpark.start();
    }

    @AfterAll
    static void stopSpark() {
        spark.close();
    }

    @Test
    void theLocalExecutorRunsTwoCoreJobsOneAtATimeOnTwoCores() throws Exception {
        try (LocalExecutor local = new LocalExecutor(2)) {
            assertEquals(1, mostAtOnce(local, dir));
        }
    }

    @Test
    void sparkRunsTwoCoreJobsOneAtATimeOnTwoCores() throws Exception {
        assertEquals(1, mostAtOnce(spark, dir));
    }

    /**
     * Runs the busy tool (2 cores) on 4 samples with files below {@code dir} and returns the largest number of
     * its jobs that ran at once (also used by the standalone-cluster test).
     */
    static int mostAtOnce(Executor executor, Path dir) throws Exception {
        Path log = dir.resolve("times.log");
        NetworkYaml.Loaded net = Fixtures.network("""
                network: cores
                sources:
                  texts: {type: TextFile}
                nodes:
                  busy: {tool: test/Busy:1.0, inputs: {text: texts}, parameters: {log: "LOG"}}
                sinks:
                  copies: {from: busy.copy, url: "file:///x/{sample_id}.txt"}
                """.replace("LOG", log.toString()), dir.resolve("sinks"));
        SourceData.Builder data = SourceData.builder();
        for (int i = 0; i < SAMPLES; i++) {
            data.add("texts", "s" + i, Fixtures.write(dir.resolve("in/s" + i + ".txt"), "text " + i + "\n").toString());
        }
        RunReport r = executor.run(RunSpec.of(net.network(), net.locator(), Fixtures.tools(), data.build(), dir.resolve("work").toUri()));
        assertEquals(0, r.exitCode(), r.summary());

        List<long[]> events = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ");
            events.add(new long[] {Long.parseLong(f[1]), f[0].equals("start") ? 1 : -1});
        }
        assertEquals(2 * SAMPLES, events.size(), "every job logs a start and an end");
        // At equal times an end comes first: a job that starts as another ends does not overlap it.
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int running = 0, most = 0;
        for (long[] e : events) {
            running += (int) e[1];
            most = Math.max(most, running);
        }
        return most;
    }
}
