package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalExecutorTest {
    @TempDir
    Path dir;

    @Test
    void theExampleNetworksRunToCompletionOnAThreadPool() {
        try (LocalExecutor local = new LocalExecutor(2)) {
            for (Scenarios.Scenario s : Scenarios.all(dir.resolve("data"))) {
                RunReport r = local.run(s.spec(dir.resolve(s.name())));
                assertEquals(0, r.exitCode(), s.name() + ":\n" + r.summary());
            }
        }
        assertEquals("11\n", Fixtures.files(dir.resolve("add-ints/sinks/sums")).get("a.txt"));
        assertEquals("43.0\n", Fixtures.files(dir.resolve("collapse-sum/sinks/total")).get("total.txt"));
        assertTrue(Fixtures.files(dir.resolve("file-outputs/sinks/upper")).get("doc1.txt").equals("LINE\nLINE\n"));
    }
}
