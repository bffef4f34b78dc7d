package org.cohortflow.executors;

import java.nio.file.Path;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.spark.SparkExecutor;

/**
 * Runs one of the {@link Scenarios} in a JVM of its own, for {@link ReproducibleRunsTest}. Arguments:
 * executor ({@code local} or {@code spark}), scenario name, data folder, run folder. Exits with the run's
 * exit code.
 */
public final class RunInAnotherJvm {
    private RunInAnotherJvm() {}

    public static void main(String[] args) {
        Scenarios.Scenario scenario = Scenarios.all(Path.of(args[2])).stream().filter(s -> s.name().equals(args[1]))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no scenario " + args[1]));
        RunSpec spec = scenario.spec(Path.of(args[3]));
        RunReport report;
        if (args[0].equals("spark")) {
            try (SparkExecutor spark = SharedSpark.start()) {
                report = spark.run(spec);
            }
        } else {
            try (LocalExecutor local = new LocalExecutor(2)) {
                report = local.run(spec);
            }
        }
        System.out.println(report.summary());
        System.exit(report.exitCode());
    }
}
