package org.cohortflow.dsl.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.cohortflow.dsl.Examples;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.network.Node;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.commandline.CommandLineSpec;
import org.cohortflow.dsl.tool.commandline.CommandLineToolReader;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.dsl.validate.DefinitionFiles;
import org.cohortflow.dsl.validate.NetworkValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network and tool files that are odd rather than wrong (issue 10, point 7): aliases, other encodings,
 * numbers out of range, huge files. Each is read correctly or refused with FILE:LINE:COL.
 */
class OddInputsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String problems(InvalidDefinitionException e) {
        return e.problems().stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    @Test
    void aliasesAndMergeKeysInANetworkAreResolvedToTheNodesTheyName() throws IOException {
        Path file = write("aliases.yaml", """
                network: aliases
                sources:
                  numbers: {type: Int}
                nodes:
                  add: &adder
                    tool: basic/AddInt:1.0
                    inputs: {left: numbers}
                    parameters: {right: &offset 10}
                  again:
                    <<: *adder
                    inputs: {left: add.result}
                  third:
                    tool: basic/AddInt:1.0
                    inputs: {left: again.result}
                    parameters: {right: *offset}
                sinks:
                  out: {from: third.result, url: "file:///tmp/aliases/{sample_id}.txt"}
                """);
        NetworkYaml.Loaded loaded = NetworkYaml.read(file);
        Network n = loaded.network();
        Node again = n.nodes().stream().filter(x -> x.id().equals("again")).findFirst().orElseThrow();
        Node third = n.nodes().stream().filter(x -> x.id().equals("third")).findFirst().orElseThrow();

        assertEquals("basic/AddInt:1.0", again.tool().toString(), "the merged key 'tool'");
        assertEquals(List.of("10"), again.parameters().get("right"), "the merged key 'parameters'");
        assertEquals("add.result", again.inputs().get("left").links().get(0).from().toString(), "the key written out wins");
        assertEquals(List.of("10"), third.parameters().get("right"), "*offset is the value 10, not the text 'offset'");
        assertEquals(List.of(), new NetworkValidator(Examples.tools()).validate(n, loaded.locator()));
    }

    @Test
    void anAliasInsideTheNodeItNamesIsRefusedWithItsPosition() throws IOException {
        Path file = write("recursive.yaml", """
                network: recursive
                constants:
                  c: &self {type: Int, value: [1, *self]}
                """);
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> NetworkYaml.read(file));
        assertEquals(file + ":3:6: the alias *self is used inside the node it names (&self): recursive YAML is not allowed",
                problems(e));
    }

    @Test
    void anAliasWithoutItsAnchorIsRefusedWithItsPosition() throws IOException {
        Path file = write("undefined.yaml", "network: n\nsources:\n  x: *nowhere\n");
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> NetworkYaml.read(file));
        assertTrue(problems(e).startsWith(file + ":3:6: invalid YAML: found undefined alias") && problems(e).contains("nowhere"), problems(e));
    }

    @Test
    void moreThanFiftyAliasesOfMappingsAreRefusedAtTheOneTooMany() throws IOException {
        StringBuilder b = new StringBuilder("network: many\nconstants:\n  base: &b {type: Int, value: 1}\n");
        for (int i = 0; i < 51; i++) {
            b.append("  c").append(i).append(": *b\n");
        }
        Path file = write("many.yaml", b.toString());
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> NetworkYaml.read(file));
        assertEquals(file + ":54:8: invalid YAML: more than 50 aliases of lists or mappings in one file (a guard against"
                + " alias bombs); write some of them out", problems(e));
    }

    @Test
    void aNetworkInWindows1252IsRefusedNamingTheFileLineColumnAndEncoding() throws IOException {
        Path file = dir.resolve("latin.yaml");
        Files.write(file, "network: n\nsources:\n  x: {type: Int, description: caf\u00e9 au lait}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> NetworkYaml.read(file));
        assertEquals(file + ":3:34: the file is not UTF-8: byte 0xE9 cannot be read as UTF-8 (line 3, column 34); the"
                + " file looks like Windows-1252 or ISO-8859-1, where this byte is '\u00e9'; save it as UTF-8, e.g. iconv"
                + " -f WINDOWS-1252 -t UTF-8", problems(e));
        // What `cohortflow validate` prints for it.
        DefinitionFiles.Result r = DefinitionFiles.check(file, Examples.tools());
        assertEquals(DefinitionFiles.Kind.UNREADABLE, r.kind());
        assertEquals(e.problems(), r.problems());
    }

    @Test
    void aToolFileInUtf16IsRefusedNamingTheEncoding() throws IOException {
        Path file = dir.resolve("utf16.yaml");
        Files.write(file, "id: x/T:1\noutputs: []\ncommand: {executable: cat}\n".getBytes(StandardCharsets.UTF_16));
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> new CommandLineToolReader(TypeRegistry.load()).read(file));
        assertTrue(problems(e).startsWith(file + ":1:1: the file is UTF-16"), problems(e));
    }

    @Test
    void aUtf8FileWithAByteOrderMarkIsRead() throws IOException {
        Path file = dir.resolve("bom.yaml");
        Files.write(file, ("\uFEFFnetwork: bom\nsources:\n  x: {type: Int}\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("bom", NetworkYaml.read(file).network().id());
    }

    @Test
    void aTenMegabyteNetworkIsRefusedBeforeItIsParsed() throws IOException {
        Path file = dir.resolve("huge.yaml");
        // One long comment: the shape SnakeYAML is slowest on (about a minute for 10 MB before the limit).
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("network: huge\n# ".getBytes(StandardCharsets.US_ASCII));
            byte[] block = "x".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 160; i++) {
                out.write(block);
            }
        }
        assertTrue(Files.size(file) > 10_000_000);
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> NetworkYaml.read(file));
        assertEquals(file + ":1:1: the file is " + Files.size(file) + " bytes; network, tool and settings files are"
                + " limited to 1048576 bytes (1 MiB). Sample lists belong in a sample sheet (--samples), not in the"
                + " network", problems(e));
        assertEquals(DefinitionFiles.Kind.UNREADABLE, DefinitionFiles.check(file, Examples.tools()).kind());
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedWithItsLine() throws IOException {
        Path file = write("long-line.yaml", "network: n\ndescription: " + "x".repeat(DefinitionText.MAX_LINE) + "\n");
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> NetworkYaml.read(file));
        assertEquals(file + ":2:65537: line 2 is 65549 characters long; definition files allow at most 65536 per line",
                problems(e));
    }

    @Test
    void numbersOutOfRangeInAToolFileAreLocatedProblemsNotOverflows() throws IOException {
        Path file = write("big-numbers.yaml", """
                id: x/Big:1
                inputs:
                  - {id: n, type: Int, default: 99999999999999999999}
                outputs:
                  - {id: b, type: Int, collect: {stdout: x}}
                command: {executable: cat}
                resources: {cores: 99999999999, memory: 99999999999999g}
                timeout: 9999999999999999h
                """);
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> new CommandLineToolReader(TypeRegistry.load()).read(file));
        assertEquals(String.join("\n",
                file + ":3:33: default of input 'n' is not a valid Int: '99999999999999999999' is out of range for a 64-bit integer",
                file + ":7:20: 'cores' in resources must be from 1 to 2147483647, found 99999999999",
                file + ":7:41: memory '99999999999999g' is out of range (at most 8388607t)",
                file + ":8:10: timeout '9999999999999999h' is out of range (at most 2562047788015h)"), problems(e));
    }

    @Test
    void aTimeoutWithMoreDigitsThanALongIsALocatedProblem() throws IOException {
        Path file = write("long-timeout.yaml", """
                id: x/Long:1
                outputs:
                  - {id: b, type: Int, collect: {stdout: x}}
                command: {executable: cat}
                timeout: 123456789012345678901234567890s
                """);
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> new CommandLineToolReader(TypeRegistry.load()).read(file));
        assertEquals(file + ":5:10: timeout '123456789012345678901234567890s' is out of range (at most 2562047788015h)",
                problems(e));
    }

    @Test
    void theLargestTimeoutAndMemoryAreRead() throws IOException {
        Path file = write("largest.yaml", """
                id: x/Largest:1
                outputs:
                  - {id: b, type: Int, collect: {stdout: x}}
                command: {executable: cat}
                resources: {cores: 2147483647, memory: 8388607t}
                timeout: 2562047788015h
                """);
        ToolDefinition t = new CommandLineToolReader(TypeRegistry.load()).read(file);
        CommandLineSpec spec = (CommandLineSpec) t.implementation();
        assertEquals(2562047788015L, spec.timeout().orElseThrow().toHours());
        assertEquals(8388607L << 40, spec.resources().memoryBytes());
        assertEquals(Integer.MAX_VALUE, spec.resources().cores());
    }
}
