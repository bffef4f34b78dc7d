package org.cohortflow.executors;

import java.net.URI;
import java.nio.file.Path;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.testing.Fixtures;

/**
 * A run that takes a few seconds, started in its own JVM by {@link ResumeTest} and killed half-way.
 * Arguments: the test folder.
 */
public final class KilledRun {
    static final int SAMPLES = 24;
    static final String NETWORK = """
            network: slow-chain
            sources:
              numbers: {type: Int}
            nodes:
              slow:
                tool: test/Slow:1.0
                inputs: {value: numbers}
                parameters: {millis: 150}
              add:
                tool: basic/AddInt:1.0
                inputs: {left: slow.result}
                parameters: {right: 1000}
              total:
                tool: basic/Sum:1.0
                inputs: {values: {from: add.result, collapse: numbers}}
            sinks:
              each: {from: add.result, url: "file:///x/{sample_id}.txt"}
              total: {from: total.total, url: "file:///x/total.txt"}
            """;

    private KilledRun() {}

    static RunSpec spec(Path dir, boolean resume) {
        NetworkYaml.Loaded n = Fixtures.network(NETWORK, dir.resolve("sinks"));
        SourceData.Builder data = SourceData.builder();
        for (int i = 0; i < SAMPLES; i++) {
            data.add("numbers", String.format("s%02d", i), Integer.toString(i * 7));
        }
        URI work = dir.resolve("work").toUri();
        return RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data.build(), work).withResume(resume);
    }

    public static void main(String[] args) {
        try (LocalExecutor local = new LocalExecutor(2)) {
            local.run(spec(Path.of(args[0]), false));
        }
    }
}
