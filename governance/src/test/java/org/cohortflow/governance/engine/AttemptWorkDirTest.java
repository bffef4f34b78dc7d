package org.cohortflow.governance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An attempt started again after a restart gets a work folder of its own, never the interrupted start's. */
class AttemptWorkDirTest {

    @Test
    void aFirstStartGetsTheAttemptsFolder(@TempDir Path experiment) {
        assertEquals(experiment.resolve("preview-3-attempt-1"), Engine.freshWorkDir(experiment, "preview-3-attempt-1"));
    }

    @Test
    void aStartAfterAnInterruptedOneGetsTheNextFreeRestartFolder(@TempDir Path experiment) throws Exception {
        Files.createDirectories(experiment.resolve("preview-3-attempt-1").resolve("work"));
        assertEquals(experiment.resolve("preview-3-attempt-1-restart-1"), Engine.freshWorkDir(experiment, "preview-3-attempt-1"));
        Files.createDirectories(experiment.resolve("preview-3-attempt-1-restart-1"));
        assertEquals(experiment.resolve("preview-3-attempt-1-restart-2"), Engine.freshWorkDir(experiment, "preview-3-attempt-1"));
    }

    @Test
    void anotherAttemptNumberIsNotAffectedByAnEarlierAttemptsFolder(@TempDir Path experiment) throws Exception {
        Files.createDirectories(experiment.resolve("preview-3-attempt-1"));
        assertEquals(experiment.resolve("preview-3-attempt-2"), Engine.freshWorkDir(experiment, "preview-3-attempt-2"));
    }
}
