package org.cohortflow.executors;

import java.nio.file.Path;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.testing.Fixtures;

/**
 * {@link FailureIsolationTest}'s counting network on the local executor, in a JVM of its own (which that
 * test starts without root's right to read any file). Arguments: test folder, then {@code id=path} per
 * sample. Prints one {@code FAILURE: } line per failed job and exits with the run's exit code.
 */
public final class CountLinesRun {
    private CountLinesRun() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        SourceData.Builder data = SourceData.builder();
        for (int i = 1; i < args.length; i++) {
            String[] idAndPath = args[i].split("=", 2);
            data.add("texts", idAndPath[0], idAndPath[1]);
        }
        NetworkYaml.Loaded n = Fixtures.network(FailureIsolationTest.COUNT.replace("TOOL", "examples/CountLines:1.0"),
                dir.resolve("sinks"));
        RunReport r;
        try (LocalExecutor local = new LocalExecutor(2)) {
            r = local.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data.build(), dir.resolve("work").toUri()));
        }
        r.failures().forEach(f -> System.out.println("FAILURE: " + f.error()));
        System.exit(r.exitCode());
    }
}
