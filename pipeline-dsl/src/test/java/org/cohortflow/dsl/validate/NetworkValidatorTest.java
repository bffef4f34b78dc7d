package org.cohortflow.dsl.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cohortflow.dsl.Examples;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkBuilder;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.network.Producer;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.tools.basic.BasicTools;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.dsl.yaml.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of the validator, on the malformed networks and tool files of examples/malformed. */
class NetworkValidatorTest {
    private static final ToolRegistry TOOLS = Examples.tools();

    /** Validates (or fails to read) a network given as text and returns the printed problems. */
    static List<String> problemsOfNetwork(String yaml) {
        try {
            NetworkYaml.Loaded l = NetworkYaml.read(yaml, "net.yaml");
            return new NetworkValidator(TOOLS).validate(l.network(), l.locator()).stream().map(Problem::toString).toList();
        } catch (InvalidDefinitionException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
    }

    /** The malformed networks and tool files of examples/malformed, one per rule. */
    static Stream<Path> malformedExamples() throws IOException {
        try (Stream<Path> s = Files.list(Examples.root().resolve("malformed"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    /** The problems a malformed example declares in its {@code # expect: LINE:COL: message} comments. */
    static List<String> expectedProblems(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("# expect: "))
                .map(l -> file + ":" + l.substring("# expect: ".length())).toList();
    }

    @Test
    void thereIsAMalformedExampleForEveryRule() throws IOException {
        List<Path> files = malformedExamples().toList();
        assertTrue(files.size() >= 15, "only " + files.size() + " malformed examples");
        for (Path f : files) {
            assertFalse(expectedProblems(f).isEmpty(), f + " declares no '# expect:' line");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedExamples")
    void malformedExamplesAreRejectedWithExactlyTheExpectedLocatedMessages(Path file) throws IOException {
        DefinitionFiles.Result r = DefinitionFiles.check(file, TOOLS);
        assertEquals(expectedProblems(file), r.problems().stream().map(Problem::toString).toList());
    }

    @ParameterizedTest
    @MethodSource("org.cohortflow.dsl.network.NetworkYamlTest#exampleNetworks")
    void everyExampleNetworkIsValid(java.nio.file.Path file) {
        NetworkYaml.Loaded l = NetworkYaml.read(file);
        assertEquals(List.of(), new NetworkValidator(TOOLS).validate(l.network(), l.locator()));
    }

    @Test
    void allProblemsAreReportedAtOnce() {
        List<String> p = problemsOfNetwork("""
                network: n
                sources:
                  x: {type: Float}
                nodes:
                  add:
                    tool: basic/AddInt:1.0
                    inputs: {left: x}
                    parameters: {right: x, offset: 1}
                sinks:
                  out: {from: add.result, url: "file:///tmp/{sample_id}{nope}"}
                """);
        assertEquals(4, p.size(), String.join("\n", p));
    }

    @Test
    void javaNetworksAreDescribedByElementInsteadOfLine() {
        NetworkBuilder net = Network.builder("demo");
        Producer<Object> x = net.source("x", "Float");
        net.node("add", BasicTools.ADD_INT).in("left").from(x);
        Network n = net.build();
        List<Problem> problems = new NetworkValidator(TOOLS).validate(n);
        assertEquals(List.of("network 'demo', node 'add', input 'left', link '0': type mismatch: input 'left' of node 'add' expects Int but source 'x' produces Float"),
                problems.stream().map(Problem::toString).toList());
        assertThrows(InvalidDefinitionException.class, () -> new org.cohortflow.dsl.plan.Planner(TOOLS)
                .plan(n, org.cohortflow.dsl.plan.SourceData.builder().add("x", "s1", "1.5").build()));
        // Keep the typed constants of BuiltinTypes referenced: they are the public typed API.
        assertEquals("Int", BuiltinTypes.INT.name());
    }
}
