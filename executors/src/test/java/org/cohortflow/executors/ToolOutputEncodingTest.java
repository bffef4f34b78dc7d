package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.executors.commandline.CommandLineRunner;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes that are not UTF-8 around command-line tools (issue 10, point 7): what a tool writes to stderr
 * still reaches the run report; a tool file in another encoding is refused saying where and why.
 */
class ToolOutputEncodingTest {
    @TempDir
    Path dir;

    @Test
    void aStderrTailInLatin1IsShownWithReplacementCharacters() {
        NetworkYaml.Loaded n = Fixtures.network("""
                network: latin1
                sources:
                  texts: {type: TextFile}
                nodes:
                  count: {tool: test/FailInLatin1:1.0, inputs: {text: texts}}
                sinks:
                  lines: {from: count.lines, url: "file:///x/{sample_id}.txt"}
                """, dir.resolve("sinks"));
        Path text = Fixtures.write(dir.resolve("in/cv.txt"), "1\n");
        SourceData data = SourceData.builder().add("texts", "cv", text.toString()).build();
        RunReport r;
        try (LocalExecutor local = new LocalExecutor(1)) {
            r = local.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri()));
        }
        assertEquals(1, r.failures().size(), r.summary());
        assertEquals(4, r.failures().get(0).exitCode());
        assertEquals("cannot open the r\uFFFDsum\uFFFD of " + text, r.failures().get(0).stderrTail());
        assertTrue(r.summary().contains("r\uFFFDsum\uFFFD"), r.summary());
    }

    @Test
    void aValueIsCollectedFromStdoutThatIsNotAllUtf8() {
        NetworkYaml.Loaded n = Fixtures.network("""
                network: latin1-banner
                sources:
                  texts: {type: TextFile}
                nodes:
                  count: {tool: test/CountAfterLatin1Banner:1.0, inputs: {text: texts}}
                sinks:
                  lines: {from: count.lines, url: "file:///x/{sample_id}.txt"}
                """, dir.resolve("sinks"));
        SourceData data = SourceData.builder().add("texts", "three", Fixtures.write(dir.resolve("in/three.txt"), "a\nb\nc\n")
                .toString()).build();
        RunReport r;
        try (LocalExecutor local = new LocalExecutor(1)) {
            r = local.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri()));
        }
        assertEquals(0, r.exitCode(), r.summary());
        assertEquals("3\n", Fixtures.outputs(dir.resolve("sinks/lines")).get("three.txt"));
    }

    @Test
    void theTailOfAHugeLogIsItsLastLinesWhateverItsBytes() throws IOException {
        Path log = dir.resolve("stderr.txt");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            b.append("progress ").append(i).append('\n');
        }
        byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = "binary \u0000\u00ff\u00fe end\nlast line\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        Files.write(log, all);

        List<String> lines = CommandLineRunner.tail(log).lines().toList();
        assertEquals(20, lines.size());
        assertEquals("progress 99982", lines.get(0));
        assertEquals("binary \u0000\uFFFD\uFFFD end", lines.get(18));
        assertEquals("last line", lines.get(19));
    }

    @Test
    void aToolFileThatIsNotUtf8IsRefusedWithItsFileLineAndEncoding() throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Path file = tools.resolve("latin1.yaml");
        Files.write(file, "id: x/T:1\ndescription: na\u00efve\noutputs: []\ncommand: {executable: cat}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> ToolSet.load(List.of(tools)));
        assertTrue(e.getMessage().startsWith(file + ":2:16: the file is not UTF-8: byte 0xEF "), e.getMessage());
    }
}
