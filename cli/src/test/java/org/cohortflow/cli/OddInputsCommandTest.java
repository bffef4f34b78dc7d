package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cohortflow validate} and {@code run} on files that are odd rather than wrong (issue 10, point 7),
 * as docs/networks.md and docs/tools.md describe them.
 */
class OddInputsCommandTest {
    @TempDir
    Path dir;

    private static String tools() {
        return "--tools=" + CohortflowCommandTest.examples().resolve("tools");
    }

    @Test
    void validateAcceptsTheAliasExampleOfTheDocs() throws IOException {
        Path file = Files.writeString(dir.resolve("aliases.yaml"), """
                network: aliases
                sources:
                  numbers: {type: Int}
                nodes:
                  add: &adder                          # anchor a whole node
                    tool: basic/AddInt:1.0
                    inputs: {left: numbers}
                    parameters: {right: &offset 10}    # anchor a scalar
                  again:
                    <<: *adder                         # tool and parameters from 'add' ...
                    inputs: {left: add.result}         # ... but its own inputs
                  third: {tool: basic/AddInt:1.0, inputs: {left: again.result}, parameters: {right: *offset}}
                sinks:
                  out: {from: third.result, url: "file:///tmp/aliases/{sample_id}.txt"}
                """);
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("validate", tools(), file.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(file + ": valid network", r.out().strip());
    }

    @Test
    void validatePrintsTheLineColumnAndEncodingOfANetworkInWindows1252() throws IOException {
        Path file = dir.resolve("latin.yaml");
        Files.write(file, "network: n\nsources:\n  x: {type: Int, description: caf\u00e9}\n".getBytes(StandardCharsets.ISO_8859_1));
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("validate", tools(), file.toString());
        assertEquals(1, r.code());
        assertEquals(List.of(file + ":3:34: the file is not UTF-8: byte 0xE9 cannot be read as UTF-8 (line 3, column 34);"
                + " the file looks like Windows-1252 or ISO-8859-1, where this byte is '\u00e9'; save it as UTF-8, e.g."
                + " iconv -f WINDOWS-1252 -t UTF-8"), r.err().lines().toList());
    }

    @Test
    void validateAndRunRefuseATenMegabyteNetworkWithTheLimit() throws IOException {
        Path file = dir.resolve("huge.yaml");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("network: huge\nsources:\n  numbers: {type: Int}\n# ".getBytes(StandardCharsets.US_ASCII));
            byte[] block = "x".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 160; i++) {
                out.write(block);
            }
        }
        String expected = file + ":1:1: the file is " + Files.size(file) + " bytes; network, tool and settings files are"
                + " limited to 1048576 bytes (1 MiB). Sample lists belong in a sample sheet (--samples), not in the network";

        CohortflowCommandTest.Result v = CohortflowCommandTest.run("validate", tools(), file.toString());
        assertEquals(1, v.code());
        assertEquals(List.of(expected), v.err().lines().toList());

        CohortflowCommandTest.Result r = CohortflowCommandTest.run("run", file.toString(), tools(), "--source", "numbers=1",
                "--work", dir.resolve("work").toString(), "--executor", "local");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().lines().toList().contains(expected), r.err());
    }

    @Test
    void validateLocatesNumbersOutOfRangeInAToolFile() throws IOException {
        Path file = Files.writeString(dir.resolve("big.yaml"), """
                id: x/Big:1
                outputs:
                  - {id: b, type: Int, collect: {stdout: x}}
                command: {executable: cat}
                timeout: 9999999999999999h
                """);
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("validate", tools(), file.toString());
        assertEquals(1, r.code());
        assertEquals(List.of(file + ":5:10: timeout '9999999999999999h' is out of range (at most 2562047788015h)"),
                r.err().lines().toList());
    }

    @Test
    void runNamesTheLineColumnAndEncodingOfASampleSheetInWindows1252() throws IOException {
        Path text = Files.writeString(dir.resolve("r\u00e9sum\u00e9.txt"), "one line\n");
        Path sheet = dir.resolve("samples.csv");
        Files.write(sheet, ("sample_id,texts\ncv," + text + "\n").getBytes(StandardCharsets.ISO_8859_1));
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("run",
                CohortflowCommandTest.examples().resolve("networks/count-lines.yaml").toString(), tools(),
                "--samples", sheet.toString(), "--work", dir.resolve("work").toString(), "--executor", "local");
        assertTrue(r.code() != 0, r.out());
        int column = ("cv," + dir + "/r").length() + 1;
        assertTrue(r.err().contains(sheet + ":2:" + column + ": the file is not UTF-8: byte 0xE9 cannot be read as UTF-8"),
                r.err());
        assertTrue(r.err().contains("Windows-1252"), r.err());
    }
}
