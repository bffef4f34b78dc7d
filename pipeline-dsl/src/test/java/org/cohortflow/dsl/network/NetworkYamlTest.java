package org.cohortflow.dsl.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cohortflow.dsl.Examples;
import org.cohortflow.dsl.tools.basic.BasicTools;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NetworkYamlTest {

    static Stream<Path> exampleNetworks() throws IOException {
        try (Stream<Path> s = Files.list(Examples.root().resolve("networks"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("exampleNetworks")
    void everyExampleSurvivesYamlToModelToYaml(Path file) {
        Network model = NetworkYaml.read(file).network();
        String written = NetworkYaml.write(model);
        Network again = NetworkYaml.read(written, "rewritten.yaml").network();
        assertEquals(model, again);
        assertEquals(written, NetworkYaml.write(again));
    }

    @Test
    void theJavaApiAndYamlBuildTheSameModel() {
        NetworkBuilder net = Network.builder("add-ints").description("adds 10 to each number");
        Producer<Long> numbers = net.source("numbers", BuiltinTypes.INT);
        Producer<Long> ten = net.constant("ten", BuiltinTypes.INT, 10L);
        NetworkBuilder.NodeHandle add = net.node("add", BasicTools.ADD_INT);
        add.in(BasicTools.LEFT).from(numbers);
        add.in(BasicTools.RIGHT).from(ten);
        net.sink("sums", add.out(BasicTools.RESULT), "{sample_id}.txt");
        Network java = net.build();

        Network yaml = NetworkYaml.read(Examples.network("add-ints.yaml")).network();
        // The YAML source carries a description; compare everything else.
        assertEquals(java.nodes(), yaml.nodes());
        assertEquals(java.constants(), yaml.constants());
        assertEquals(java.sinks(), yaml.sinks());
        assertEquals(List.of("numbers"), yaml.sources().stream().map(Source::id).toList());
    }

    @Test
    void groupsCollapseExpandAndMultipleLinksRoundTrip() {
        NetworkBuilder net = Network.builder("shapes");
        Producer<Long> a = net.source("a", BuiltinTypes.INT);
        Producer<Long> b = net.source("b", BuiltinTypes.INT);
        NetworkBuilder.NodeHandle sum = net.node("sum", BasicTools.SUM);
        sum.in(BasicTools.VALUES).from(a.collapse("a")).from(b.collapse("b")).group("g2");
        NetworkBuilder.NodeHandle n = net.node("n", BasicTools.NEIGHBOURS_TOOL);
        n.in(BasicTools.VALUE).from(a);
        NetworkBuilder.NodeHandle add = net.node("add", BasicTools.ADD_INT);
        add.in(BasicTools.LEFT).from(n.out(BasicTools.NEIGHBOURS).expand());
        add.set(BasicTools.RIGHT, 5L);
        net.sink("out", add.out(BasicTools.RESULT), "file:///tmp/{sample_id}{ext}");
        Network model = net.build();
        assertEquals(model, NetworkYaml.read(NetworkYaml.write(model), "x.yaml").network());
    }
}
