package org.cohortflow.executors;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.testing.Fixtures;

/** Networks and data that tests run on both executors. */
final class Scenarios {
    private Scenarios() {}

    /** A network, its data, and a run spec writing sinks below {@code dir/sinks} and runs to {@code dir/work}. */
    record Scenario(String name, NetworkYaml.Loaded network, SourceData data) {
        RunSpec spec(Path dir) {
            NetworkYaml.Loaded n = new NetworkYaml.Loaded(Fixtures.withSinksUnder(network.network(), dir.resolve("sinks")),
                    network.locator(), network.file());
            URI work = dir.resolve("work").toUri();
            return RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, work);
        }
    }

    /** Tables written as Parquet: one per sample and one over all samples. */
    static final String PARQUET_TABLES = """
            network: parquet-tables
            sources:
              numbers: {type: Int}
            nodes:
              each: {tool: test/NumbersTable:1.0, inputs: {numbers: numbers}}
              eachParquet: {tool: tables/ParquetWrite:1, inputs: {table: each.table}}
              all: {tool: test/NumbersTable:1.0, inputs: {numbers: {from: numbers, collapse: numbers}}}
              allParquet: {tool: tables/ParquetWrite:1, inputs: {table: all.table}}
            sinks:
              each: {from: eachParquet.parquet, url: "file:///x/{sample_id}.parquet"}
              all: {from: allParquet.parquet, url: "file:///x/all.parquet"}
            """;

    static List<Scenario> all(Path dataDir) {
        Path texts = dataDir.resolve("texts");
        SourceData.Builder t = SourceData.builder();
        for (int i = 0; i < 5; i++) {
            t.add("texts", "doc" + i, Fixtures.write(texts.resolve("doc" + i + ".txt"), "line\n".repeat(i + 1)).toUri().toString());
        }
        SourceData numbers = SourceData.builder().add("numbers", "a", "1").add("numbers", "b", "2")
                .add("numbers", "c", "40").build();
        SourceData floats = SourceData.builder().add("numbers", "x", "1.5").add("numbers", "y", "-2")
                .add("factors", "f1", "3").add("factors", "f2", "0.1").build();
        return List.of(
                new Scenario("add-ints", NetworkYaml.read(Fixtures.exampleNetwork("add-ints.yaml")), numbers),
                new Scenario("collapse-sum", NetworkYaml.read(Fixtures.exampleNetwork("collapse-sum.yaml")), numbers),
                new Scenario("cross-product", NetworkYaml.read(Fixtures.exampleNetwork("cross-product.yaml")), floats),
                new Scenario("expand-neighbours", NetworkYaml.read(Fixtures.exampleNetwork("expand-neighbours.yaml")), numbers),
                new Scenario("count-lines", NetworkYaml.read(Fixtures.exampleNetwork("count-lines.yaml")), t.build()),
                new Scenario("range-expand", NetworkYaml.read("""
                        network: range-expand
                        sources:
                          counts: {type: Int}
                        nodes:
                          range: {tool: basic/Range:1.0, inputs: {count: counts}}
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {left: {from: range.numbers, expand: true}}
                            parameters: {right: 1000}
                          total: {tool: basic/Sum:1.0, inputs: {values: {from: add.result, collapse: range.numbers}}}
                        sinks:
                          each: {from: add.result, url: "file:///x/{sample_id}.txt"}
                          totals: {from: total.total, url: "file:///x/{sample_id}.txt"}
                        """, "range-expand.yaml"), SourceData.builder().add("counts", "two", "2").add("counts", "four", "4").build()),
                new Scenario("file-outputs", NetworkYaml.read("""
                        network: file-outputs
                        sources:
                          texts: {type: TextFile}
                        nodes:
                          upper: {tool: test/Upper:1.0, inputs: {text: texts}}
                          count: {tool: examples/CountLines:1.0, inputs: {text: upper.upper}}
                          slow: {tool: test/Slow:1.0, inputs: {value: count.lines}}
                        sinks:
                          upper: {from: upper.upper, url: "file:///x/{sample_id}{ext}"}
                          counted: {from: slow.result, url: "file:///x/{sample_id}.txt"}
                        """, "file-outputs.yaml"), t.build()),
                new Scenario("parquet-tables", NetworkYaml.read(PARQUET_TABLES, "parquet-tables.yaml"), numbers));
    }
}
