package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.testing.Fixtures;
import org.cohortflow.executors.testing.OtherJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reruns give the same bytes: a run repeated in other JVMs, on either executor, writes sinks identical
 * byte for byte to the first run's, Parquet tables included (docs/execution.md promises it).
 */
class ReproducibleRunsTest {
    private static final String SCENARIO = "parquet-tables";

    @TempDir
    Path dir;

    @Test
    void aRunRepeatedInOtherJvmsOnBothExecutorsWritesByteIdenticalSinksParquetIncluded() throws Exception {
        Path data = dir.resolve("data");
        Scenarios.Scenario scenario = Scenarios.all(data).stream().filter(s -> s.name().equals(SCENARIO)).findFirst()
                .orElseThrow();
        try (LocalExecutor local = new LocalExecutor(2)) {
            RunReport first = local.run(scenario.spec(dir.resolve("first")));
            assertEquals(0, first.exitCode(), first.summary());
        }
        Map<String, String> expected = Fixtures.outputs(dir.resolve("first/sinks"));
        assertEquals(List.of("all/all.parquet", "each/a.parquet", "each/b.parquet", "each/c.parquet"),
                List.copyOf(expected.keySet()));

        OtherJvm.run(RunInAnotherJvm.class, 1, dir.resolve("local.log"), "local", SCENARIO, data.toString(),
                dir.resolve("local").toString());
        OtherJvm.run(RunInAnotherJvm.class, 4, dir.resolve("spark.log"), "spark", SCENARIO, data.toString(),
                dir.resolve("spark").toString());
        for (String rerun : List.of("local", "spark")) {
            Map<String, String> again = Fixtures.outputs(dir.resolve(rerun).resolve("sinks"));
            assertEquals(expected.keySet(), again.keySet(), rerun);
            for (String file : expected.keySet()) {
                // Compared file by file so that a failure names the file instead of printing binary maps.
                assertTrue(expected.get(file).equals(again.get(file)), rerun + " rerun wrote different bytes to " + file);
            }
        }
    }
}
