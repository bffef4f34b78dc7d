package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalAndSparkExecutorsTest {
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

    @Test
    void theSameNetworkOnTheSameDataWritesByteIdenticalSinkOutputsOnBothExecutors() {
        try (LocalExecutor local = new LocalExecutor(2)) {
            for (Scenarios.Scenario s : Scenarios.all(dir.resolve("data"))) {
                RunReport l = local.run(s.spec(dir.resolve("local").resolve(s.name())));
                RunReport k = spark.run(s.spec(dir.resolve("spark").resolve(s.name())));
                assertEquals(0, l.exitCode(), l.summary());
                assertEquals(0, k.exitCode(), k.summary());
                assertEquals("spark", k.executor());
                Map<String, String> expected = Fixtures.outputs(dir.resolve("local").resolve(s.name()).resolve("sinks"));
                assertFalse(expected.isEmpty(), s.name());
                assertEquals(expected, Fixtures.outputs(dir.resolve("spark").resolve(s.name()).resolve("sinks")), s.name());
            }
        }
    }

    @Test
    void aSparkRunResumedOnTheLocalExecutorReusesEveryJob() {
        Scenarios.Scenario s = Scenarios.all(dir.resolve("data2")).get(6);
        RunReport first = spark.run(s.spec(dir.resolve("mixed")));
        try (LocalExecutor local = new LocalExecutor(2)) {
            RunReport again = local.run(s.spec(dir.resolve("mixed")).withResume(true));
            assertEquals(0, again.exitCode(), again.summary());
            assertEquals(first.succeeded(), again.cached(), again.summary());
        }
    }
}
