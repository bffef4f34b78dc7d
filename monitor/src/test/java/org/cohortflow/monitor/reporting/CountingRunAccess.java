package org.cohortflow.monitor.reporting;

import java.nio.file.Path;
import java.util.Optional;
import org.cohortflow.executors.monitor.MonitorSettings;

/** {@link CountingRun} for tests of other packages. */
public final class CountingRunAccess {
    private CountingRunAccess() {}

    public static void prepare(Path dir, int samples) {
        CountingRun.prepare(dir, samples);
    }

    /** Runs on the local executor and returns the exit code. */
    public static int run(Path dir, String runId, Optional<MonitorSettings> monitor) {
        return CountingRun.run(dir, runId, "local", monitor).result().exitCode();
    }
}
