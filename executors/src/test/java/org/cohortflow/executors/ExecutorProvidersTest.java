package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Executors are found by name through ServiceLoader; without the Spark module, asking for Spark says what to add. */
class ExecutorProvidersTest {

    @Test
    void theExecutorsOwnTestClassPathHasNoSparkSoEveryTestHereRunsWithoutIt() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.spark.SparkContext"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("scala.Option"));
    }

    @Test
    void theLocalExecutorIsFoundByNameWithTheSettingsItTakes() {
        assertEquals(List.of("local"), ExecutorProviders.names());
        try (Executor local = ExecutorProviders.create("local", ExecutorSettings.defaults().withParallelism(3)
                .withTimeout(Duration.ofMinutes(5)))) {
            assertEquals("local", local.name());
            assertEquals(3, local.parallelism());
            assertEquals(Optional.empty(), local.uiUrl());
        }
        try (Executor local = ExecutorProviders.create("local", ExecutorSettings.defaults())) {
            assertEquals(Runtime.getRuntime().availableProcessors(), local.parallelism());
        }
    }

    @Test
    void askingForSparkWithoutItsModuleNamesTheModuleToAdd() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutorProviders.create("spark", ExecutorSettings.defaults()));
        assertEquals("executor 'spark' is not on the class path: add cohortflow-executors-spark", e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ExecutorProviders.get("flink"));
        assertEquals("unknown executor 'flink': the executors on the class path are local", unknown.getMessage());
    }

    @Test
    void aSparkRunRequestedOnTheCommandLineFailsToStartWithThatMessageAndExitCodeTwo() throws Exception {
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("providers-");
        java.nio.file.Path network = org.cohortflow.executors.testing.Fixtures.repo().resolve("examples/networks/add-ints.yaml");
        RunRequest request = new RunRequest(network, List.of(), List.of(SourceBinding.SourceArgument.parse("numbers=a:1")),
                Optional.empty(), "spark", Optional.empty(), dir.resolve("work").toString(), Optional.empty(), false, 1, 0,
                Map.of(), Map.of(), RunSpec.Progress.OFF, new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(2, Runner.execute(request));
        assertEquals("cohortflow run: executor 'spark' is not on the class path: add cohortflow-executors-spark",
                console.toString(java.nio.charset.StandardCharsets.UTF_8).trim());
    }

    @Test
    void settingsRejectWhatNoExecutorCanUse() {
        assertThrows(IllegalArgumentException.class, () -> ExecutorSettings.defaults().withParallelism(-1));
        assertThrows(IllegalArgumentException.class, () -> ExecutorSettings.defaults().withTaskRetries(-1));
        assertThrows(IllegalArgumentException.class, () -> ExecutorSettings.defaults().withTimeout(Duration.ZERO));
        assertEquals(Optional.empty(), ExecutorSettings.defaults().withMaster(" ").master());
    }
}
