package org.cohortflow.dsl.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.cohortflow.dsl.Examples;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkBuilder;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.network.Producer;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.tool.commandline.CommandLineToolReader;
import org.cohortflow.dsl.tools.basic.BasicTools;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.dsl.yaml.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of the validator, on malformed networks and tool files written as YAML. */
class NetworkValidatorTest {
    private static final ToolRegistry TOOLS = Examples.tools();

    /** Validates (or fails to read) a network file and returns the printed problems. */
    static List<String> problemsOfNetwork(String yaml) {
        try {
            NetworkYaml.Loaded l = NetworkYaml.read(yaml, "net.yaml");
            return new NetworkValidator(TOOLS).validate(l.network(), l.locator()).stream().map(Problem::toString).toList();
        } catch (InvalidDefinitionException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
    }

    static List<String> problemsOfTool(String yaml) {
        try {
            new CommandLineToolReader(TOOLS.types()).read(yaml, "tool.yaml");
            return List.of();
        } catch (InvalidDefinitionException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
    }

    private static final String SINK = """
            sinks:
              out: {from: add.result, url: "file:///tmp/{sample_id}.txt"}
            """;

    static Stream<Arguments> malformedNetworks() {
        return Stream.of(
                Arguments.of("unknown tool", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          add:
                            tool: basic/Addd:1.0
                            inputs: {left: x}
                        """ + SINK,
                        List.of("net.yaml:6:11: unknown tool 'basic/Addd:1.0' in node 'add'")),
                Arguments.of("unknown tool version", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:2.0
                            inputs: {left: x}
                        """ + SINK,
                        List.of("net.yaml:6:11: unknown version '2.0' of tool 'basic/AddInt' in node 'add' (available: 1.0)")),
                Arguments.of("type mismatch", """
                        network: n
                        sources:
                          x: {type: Float}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs:
                              left: x
                        """ + SINK,
                        List.of("net.yaml:8:13: type mismatch: input 'left' of node 'add' expects Int but source 'x' produces Float")),
                Arguments.of("cardinality of a collapse into a single-value input", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs:
                              left: {from: x, collapse: x}
                        """ + SINK,
                        List.of("net.yaml:8:7: cardinality mismatch: input 'left' of node 'add' takes 1 value(s) per sample but its links deliver 1-*")),
                Arguments.of("missing required input", """
                        network: n
                        constants:
                          two: {type: Int, value: 2}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {right: two}
                        """ + SINK,
                        List.of("net.yaml:5:3: missing required input 'left' of node 'add' (tool basic/AddInt:1.0, type Int): link it or set it as a parameter")),
                Arguments.of("cycle", """
                        network: n
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {left: again.result}
                          again:
                            tool: basic/AddInt:1.0
                            inputs: {left: add.result}
                        """ + SINK,
                        List.of("net.yaml:3:3: cycle: add -> again -> add")),
                Arguments.of("unbound source", """
                        network: n
                        sources:
                          x: {type: Int}
                          unused: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {left: x}
                        """ + SINK,
                        List.of("net.yaml:4:3: unbound source 'unused': no node input or sink is linked to it")),
                Arguments.of("dangling sink", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {left: x}
                        sinks:
                          out: {from: add.result, url: "file:///tmp/{sample_id}.txt"}
                          nowhere: {url: "file:///tmp/n.txt"}
                        """,
                        List.of("net.yaml:10:12: dangling sink 'nowhere': it has no 'from' link")),
                Arguments.of("collapse of a dimension the link does not have", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          total:
                            tool: basic/Sum:1.0
                            inputs:
                              values: {from: x, collapse: subjects}
                        sinks:
                          out: {from: total.total, url: "file:///tmp/t.txt"}
                        """,
                        List.of("net.yaml:8:15: dimension conflict: cannot collapse dimension 'subjects' of link from 'x', which has dimensions [x]")),
                Arguments.of("inputs of one group with different numbers of dimensions", """
                        network: n
                        sources:
                          x: {type: Int}
                          y: {type: Int}
                        nodes:
                          cross:
                            tool: basic/AddInt:1.0
                            inputs:
                              left: x
                              right: {from: y, group: other}
                          add:
                            tool: basic/AddInt:1.0
                            inputs:
                              left: cross.result
                              right: x
                        """ + SINK,
                        List.of("net.yaml:15:14: dimension conflict in node 'add': input 'right' has dimensions [x] but input 'left' in the same input group 'default' has [x, y]; put one of them in another input group for a cross product, or collapse a dimension")),
                Arguments.of("one dimension through two input groups", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs:
                              left: x
                              right: {from: x, group: other}
                        """ + SINK,
                        List.of("net.yaml:5:3: dimension conflict in node 'add': dimension 'x' reaches it through input groups 'default' and 'other'; a cross product of a dimension with itself is not allowed")),
                Arguments.of("unknown parameter", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {left: x}
                            parameters: {offset: 3}
                        """ + SINK,
                        List.of("net.yaml:8:26: unknown parameter 'offset' for node 'add': tool basic/AddInt:1.0 has inputs left, right")),
                Arguments.of("parameter of the wrong type", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {left: x}
                            parameters:
                              right: three
                        """ + SINK,
                        List.of("net.yaml:9:14: parameter 'right' of node 'add' value 'three' is not a valid Int: 'three' is not an integer")),
                Arguments.of("link from an unknown element", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {left: x, right: y}
                        """ + SINK,
                        List.of("net.yaml:7:30: link from unknown element 'y': no source, constant or node 'y'")),
                Arguments.of("link from an unknown output", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {left: x}
                        sinks:
                          out: {from: add.sum, url: "file:///tmp/{sample_id}.txt"}
                        """,
                        List.of("net.yaml:9:15: link from unknown output 'add.sum': tool basic/AddInt:1.0 has outputs result")),
                Arguments.of("unknown key", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            input: {left: x}
                        """ + SINK,
                        List.of("net.yaml:7:5: unknown key 'input' in node 'add' (allowed: description, inputs, parameters, tool)")),
                Arguments.of("YAML syntax error", """
                        network: n
                        sources:
                          x: {type: Int
                        """,
                        List.of("net.yaml:3:16: invalid YAML: while parsing a flow mapping; expected ',' or '}', but got <stream end>")),
                Arguments.of("duplicate id", """
                        network: n
                        sources:
                          add: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {left: add}
                        """ + SINK,
                        List.of("net.yaml:5:3: duplicate id 'add': sources, constants and nodes share one namespace",
                                "net.yaml:7:20: link from node 'add' must name an output: add.result")),
                Arguments.of("unknown placeholder in a sink url", """
                        network: n
                        sources:
                          x: {type: Int}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {left: x}
                        sinks:
                          out: {from: add.result, url: "file:///tmp/{subject}.txt"}
                        """,
                        List.of("net.yaml:9:3: unknown placeholder {subject} in url of sink 'out' (known: ext, index, node, output, sample_id, sink)")),
                Arguments.of("unknown data type", """
                        network: n
                        sources:
                          x: {type: Integer}
                        nodes:
                          add:
                            tool: basic/AddInt:1.0
                            inputs: {left: x}
                        """ + SINK,
                        List.of("net.yaml:3:3: unknown data type 'Integer' for source 'x'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedNetworks")
    void malformedNetworksAreRejectedWithLocatedMessages(String name, String yaml, List<String> expected) {
        assertEquals(expected, problemsOfNetwork(yaml));
    }

    static Stream<Arguments> malformedTools() {
        String ports = """
                id: x/T:1
                inputs:
                  - {id: a, type: TextFile}
                outputs:
                  - {id: b, type: Int, collect: {stdout: '(\\d+)'}}
                """;
        return Stream.of(
                Arguments.of("missing command", ports,
                        List.of("tool.yaml:1:1: tool is missing required key 'command'")),
                Arguments.of("unknown data type", """
                        id: x/T:1
                        inputs:
                          - {id: a, type: Txt}
                        outputs:
                          - {id: b, type: Int, collect: {stdout: x}}
                        command: {executable: cat}
                        """,
                        List.of("tool.yaml:3:19: unknown data type 'Txt' for input 'a'")),
                Arguments.of("bad cardinality", """
                        id: x/T:1
                        inputs:
                          - {id: a, type: TextFile, cardinality: many}
                        outputs:
                          - {id: b, type: Int, collect: {stdout: x}}
                        command: {executable: cat}
                        """,
                        List.of("tool.yaml:3:42: 'many' is not a cardinality (use 1, 0-1, 1-*, * or a number) for input 'a'")),
                Arguments.of("argument refers to an unknown input", ports + """
                        command:
                          executable: cat
                          arguments: [{value: c}]
                        """,
                        List.of("tool.yaml:8:23: argument refers to unknown input 'c' (inputs: a; $out is the output folder)")),
                Arguments.of("output without collector", """
                        id: x/T:1
                        outputs:
                          - {id: b, type: Int}
                        command: {executable: cat}
                        """,
                        List.of("tool.yaml:3:5: output 'b' has no 'collect' (glob, stdout or json)")),
                Arguments.of("malformed tool id", """
                        id: T-1
                        outputs:
                          - {id: b, type: Int, collect: {stdout: x}}
                        command: {executable: cat}
                        """,
                        List.of("tool.yaml:1:5: 'T-1' is not a tool id of the form namespace/Name:version")),
                Arguments.of("bad timeout and default", """
                        id: x/T:1
                        inputs:
                          - {id: n, type: Int, default: ten}
                        outputs:
                          - {id: b, type: Int, collect: {stdout: x}}
                        command: {executable: cat}
                        timeout: soon
                        """,
                        List.of("tool.yaml:3:33: default of input 'n' is not a valid Int: 'ten' is not an integer",
                                "tool.yaml:7:10: timeout 'soon' is not a duration such as 30s, 10m or 2h")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedTools")
    void malformedToolFilesAreRejectedWithLocatedMessages(String name, String yaml, List<String> expected) {
        assertEquals(expected, problemsOfTool(yaml));
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
                  out: {from: add.result, url: "file:///tmp/{nope}"}
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
