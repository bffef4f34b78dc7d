package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohortflow trace} on a real run with one failing sample (a command-line tool that refuses "bad" files). */
class TraceCommandTest {
    static final String TOOL = """
            id: it/CountUnlessBad:1.0
            inputs:
              - {id: text, type: TextFile}
            outputs:
              - {id: lines, type: Int, collect: {stdout: '^\\s*(\\d+)'}}
            command:
              executable: sh
              arguments: ["-c", 'if grep -q bad "$1"; then echo "cannot process $1: it is bad" >&2; exit 3; fi; wc -l < "$1"', "sh", {value: text}]
            """;

    @TempDir
    Path dir;

    @Test
    void traceListsTheFailedSampleAndShowsItsJobInFull() throws Exception {
        Files.createDirectories(dir.resolve("tools"));
        Files.writeString(dir.resolve("tools/count-unless-bad.yaml"), TOOL);
        Path net = Files.writeString(dir.resolve("count.yaml"), """
                network: count-lines
                sources:
                  texts: {type: TextFile}
                nodes:
                  count: {tool: it/CountUnlessBad:1.0, inputs: {text: texts}}
                  total: {tool: basic/Sum:1.0, inputs: {values: {from: count.lines, collapse: texts}}}
                sinks:
                  lines: {from: count.lines, url: "%s/{sample_id}.txt"}
                """.formatted(dir.resolve("out").toUri()));
        Files.createDirectories(dir.resolve("in"));
        Files.writeString(dir.resolve("in/one.txt"), "a\nb\n");
        Files.writeString(dir.resolve("in/two.txt"), "bad\n");
        CohortflowCommandTest.Result run = CohortflowCommandTest.run("run", net.toString(), "--tools", dir.resolve("tools").toString(),
                "--source", "texts=" + dir.resolve("in") + "/*.txt", "--work", dir.resolve("work").toString(), "--progress", "off");
        assertEquals(1, run.code(), run.out() + run.err());
        String runDir = dir.resolve("work/count-lines").toString();

        CohortflowCommandTest.Result list = CohortflowCommandTest.run("trace", runDir);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("failed samples:\n  count/two: "), list.out());

        CohortflowCommandTest.Result job = CohortflowCommandTest.run("trace", runDir, "count/two");
        assertEquals(0, job.code(), job.err());
        assertTrue(job.out().contains("state:      failed"), job.out());
        assertTrue(job.out().contains("command:    sh -c "), job.out());
        assertTrue(job.out().contains("exit code:  3"), job.out());
        assertTrue(job.out().contains("  | cannot process "), job.out());
        assertTrue(job.out().contains("run because: no earlier result"), job.out());

        CohortflowCommandTest.Result none = CohortflowCommandTest.run("trace", runDir, "count/three");
        assertEquals(1, none.code());
        assertTrue(none.err().contains("has no job count/three"), none.err());
        assertEquals(2, CohortflowCommandTest.run("trace", dir.toString()).code(), "not a run folder");
    }
}
