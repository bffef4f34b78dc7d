package org.cohortflow.dsl.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.Examples;
import org.cohortflow.dsl.tool.commandline.CommandLineSpec;
import org.cohortflow.dsl.tool.commandline.CommandLineToolReader;
import org.cohortflow.dsl.tool.commandline.OutputCollector;
import org.cohortflow.dsl.types.TypeRegistry;
import org.junit.jupiter.api.Test;

class CommandLineToolTest {
    private final CommandLineToolReader reader = new CommandLineToolReader(TypeRegistry.load());

    @Test
    void theExampleToolReadsWithPortsCollectorsResourcesAndTimeout() {
        ToolDefinition t = reader.read(Examples.root().resolve("tools/count-lines.yaml"));
        assertEquals("examples/CountLines:1.0", t.id().toString());
        assertEquals(List.of("text", "bytes"), t.inputs().stream().map(PortSpec::id).toList());
        CommandLineSpec spec = assertInstanceOf(CommandLineSpec.class, t.implementation());
        assertEquals("wc", spec.executable());
        assertInstanceOf(OutputCollector.StdoutRegex.class, spec.collectors().get("lines"));
        assertEquals(64L << 20, spec.resources().memoryBytes());
        assertEquals(Duration.ofSeconds(30), spec.timeout().orElseThrow());
    }

    @Test
    void argumentTemplatesRenderLiteralValueConditionalAndRepeatedArguments() {
        ToolDefinition t = reader.read("""
                id: x/Reg:2
                inputs:
                  - {id: fixed, type: TextFile}
                  - {id: moving, type: TextFile, cardinality: 1-*}
                  - {id: verbose, type: Bool, required: false}
                  - {id: level, type: Int, required: false}
                outputs:
                  - {id: out, type: TextFile, collect: {glob: "*.txt"}}
                command:
                  executable: reg
                  arguments:
                    - {value: fixed, prefix: "-f"}
                    - {repeat: moving, args: ["-m", {value: moving}]}
                    - {if: verbose, then: ["-v"], else: ["-q"]}
                    - {value: level, prefix: "--level="}
                    - {value: $out, prefix: "-o"}
                """, "reg.yaml");
        CommandLineSpec spec = (CommandLineSpec) t.implementation();
        assertEquals(List.of("-f", "a.txt", "-m", "b.txt", "-m", "c.txt", "-v", "--level=3", "-o", "/out"),
                spec.render(Map.of("fixed", List.of("a.txt"), "moving", List.of("b.txt", "c.txt"),
                        "verbose", List.of("true"), "level", List.of("3")), "/out"));
        assertEquals(List.of("-f", "a.txt", "-m", "b.txt", "-q", "-o", "/out"),
                spec.render(Map.of("fixed", List.of("a.txt"), "moving", List.of("b.txt"),
                        "verbose", List.of("false")), "/out"));
        assertTrue(spec.timeout().isEmpty());
    }

    @Test
    void cardinalitiesParseAndCompare() {
        assertEquals(Cardinality.ONE_OR_MORE, Cardinality.parse("1-*"));
        assertEquals(Cardinality.exactly(3), Cardinality.parse("3"));
        assertTrue(Cardinality.ONE.within(Cardinality.ONE_OR_MORE));
        assertTrue(!Cardinality.ONE_OR_MORE.within(Cardinality.ONE));
        assertEquals("2-*", Cardinality.ONE.plus(Cardinality.ONE_OR_MORE).toString());
    }
}
