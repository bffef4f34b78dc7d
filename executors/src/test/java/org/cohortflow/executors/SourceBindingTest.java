package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.executors.SourceBinding.SourceArgument;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceBindingTest {
    @TempDir
    Path dir;

    private final Network network = NetworkYaml.read("""
            network: two
            sources:
              texts: {type: TextFile}
              numbers: {type: Int}
            nodes:
              count: {tool: examples/CountLines:1.0, inputs: {text: texts}}
            sinks:
              lines: {from: count.lines, url: "file:///x/{sample_id}.txt"}
            """, "two.yaml").network();

    private SourceBinding binding() {
        return new SourceBinding(network, TypeRegistry.load(), new Storage(Map.of()));
    }

    @Test
    void aGlobGivesOneSamplePerMatchNamedWithoutTheTypesExtension() {
        Fixtures.write(dir.resolve("a/p1.txt"), "1");
        Fixtures.write(dir.resolve("a/p2.txt"), "2");
        Fixtures.write(dir.resolve("a/.hidden.txt"), "3");
        SourceData d = binding().bind(List.of(SourceArgument.parse("texts=" + dir + "/a/*.txt"),
                SourceArgument.parse("numbers=p1:5,p2:7")), Optional.empty());
        assertEquals(List.of("p1", "p2"), List.copyOf(d.samples("texts").orElseThrow().keySet()));
        assertEquals(dir.resolve("a/p2.txt").toUri().toString().replace("file:///", "file:/"),
                d.samples("texts").orElseThrow().get("p2").get(0));
        assertEquals(List.of("7"), d.samples("numbers").orElseThrow().get("p2"));
    }

    @Test
    void aSampleSheetGivesUrisGlobsAndLiteralsPerSampleAndLeavesEmptyCellsMissing() {
        Fixtures.write(dir.resolve("p1/x.txt"), "1");
        Fixtures.write(dir.resolve("p1/y.txt"), "1");
        Fixtures.write(dir.resolve("p2/x.txt"), "1");
        Path sheet = Fixtures.write(dir.resolve("sheet.csv"), """
                sample_id,texts,numbers
                p1,p1/*.txt,1
                p2,"p2/x.txt",
                p3,,3
                """);
        SourceData d = binding().bind(List.of(), Optional.of(sheet));
        assertEquals(2, d.samples("texts").orElseThrow().get("p1").size());
        assertEquals(List.of("p1", "p2"), List.copyOf(d.samples("texts").orElseThrow().keySet()));
        assertEquals(List.of("p1", "p3"), List.copyOf(d.samples("numbers").orElseThrow().keySet()));
    }

    @Test
    void anUnknownSourceOrAGlobMatchingNothingIsAnErrorSayingWhich() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> binding().bind(List.of(SourceArgument.parse("images=/x")), Optional.empty()));
        assertTrue(e.getMessage().contains("no source 'images' (sources: texts, numbers)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> binding().bind(List.of(SourceArgument.parse("texts=" + dir + "/none/*.txt")), Optional.empty()));
        assertTrue(e.getMessage().contains("matches nothing"), e.getMessage());
    }
}
