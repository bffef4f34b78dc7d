package org.cohortflow.executors;

import java.nio.file.Path;
import java.util.Map;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.spark.SparkSettings;
import org.cohortflow.executors.testing.Fixtures;

/**
 * A run whose one task per sample holds quick jobs (a number, a table and its Parquet file) and then a job that
 * waits for a gate file, started in its own JVM by {@link ResumeInsideATaskTest} and killed while the last job of
 * each task waits. Arguments: executor ({@code local} or {@code spark}), the run's folder, the gate file.
 */
public final class KilledInTaskRun {
    static final String NETWORK = """
            network: gated-chain
            sources:
              numbers: {type: Int}
              gates: {type: String}
            nodes:
              first: {tool: basic/AddInt:1.0, inputs: {left: numbers}, parameters: {right: 100}}
              table: {tool: test/NumbersTable:1.0, inputs: {numbers: first.result}}
              parquet: {tool: tables/ParquetWrite:1, inputs: {table: table.table}}
              gated: {tool: test/WaitForGate:1.0, inputs: {value: first.result, gate: gates}}
            sinks:
              firsts: {from: first.result, url: "file:///x/{sample_id}.txt"}
              parquet: {from: parquet.parquet, url: "file:///x/{sample_id}.parquet"}
              gated: {from: gated.value, url: "file:///x/{sample_id}.txt"}
            """;

    private KilledInTaskRun() {}

    static RunSpec spec(Path dir, Path gate, boolean resume) {
        NetworkYaml.Loaded n = Fixtures.network(NETWORK, dir.resolve("sinks"));
        SourceData data = SourceData.builder().add("numbers", "a", "1").add("gates", "a", gate.toString())
                .add("numbers", "b", "2").add("gates", "b", gate.toString()).build();
        return RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri()).withResume(resume);
    }

    public static void main(String[] args) {
        RunSpec spec = spec(Path.of(args[1]), Path.of(args[2]), false);
        // Three slots for two waiting tasks: sink writes run on the executor too, and need a free one.
        if (args[0].equals("spark")) {
            try (SparkExecutor spark = SparkExecutor.create(new SparkSettings("local[3]", 1, Map.of(
                    "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1", "spark.ui.enabled", "false")))) {
                spark.run(spec);
            }
        } else {
            try (LocalExecutor local = new LocalExecutor(3)) {
                local.run(spec);
            }
        }
    }
}
