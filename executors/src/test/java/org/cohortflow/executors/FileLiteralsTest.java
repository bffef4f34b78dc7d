package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Constants and parameters of file types (e.g. a settings file named in the network) run like source files. */
class FileLiteralsTest {

    private static RunRequest request(Path network, Path work, boolean resume) {
        return RunRequest.local(network, List.of(Fixtures.repo().resolve("examples/tools")), List.of(), work.toString())
                .withResume(resume).withProgress(RunSpec.Progress.OFF, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void relativeFileLiteralsAreReadFromTheNetworkFilesFolderAndEditingTheFileRerunsItsJobs(@TempDir Path dir)
            throws Exception {
        Path netDir = Files.createDirectories(dir.resolve("net"));
        Fixtures.write(netDir.resolve("inputs/three.txt"), "a\nb\nc\n");
        Path network = Files.writeString(netDir.resolve("count.yaml"), """
                network: file-literals
                constants:
                  text: {type: TextFile, value: inputs/three.txt}
                nodes:
                  fromConstant:
                    tool: examples/CountLines:1.0
                    inputs: {text: text}
                  fromParameter:
                    tool: examples/CountLines:1.0
                    parameters: {text: inputs/three.txt}
                sinks:
                  constant: {from: fromConstant.lines, url: "%1$s/constant.txt"}
                  parameter: {from: fromParameter.lines, url: "%1$s/parameter.txt"}
                  file: {from: text, url: "%1$s/copy{ext}"}
                """.formatted(dir.resolve("out").toUri()));

        // Run from another working directory's point of view: only the network file's folder counts.
        Runner.Result first = Runner.run(request(network, dir.resolve("work"), false));
        assertEquals(0, first.exitCode(), first.report().summary());
        assertEquals("3", Files.readString(dir.resolve("out/constant.txt")).trim());
        assertEquals("3", Files.readString(dir.resolve("out/parameter.txt")).trim());
        assertEquals("a\nb\nc\n", Files.readString(dir.resolve("out/copy.txt")));

        Files.writeString(netDir.resolve("inputs/three.txt"), "a\nb\nc\nd\n");
        Runner.Result again = Runner.run(request(network, dir.resolve("work"), true));
        assertEquals(0, again.exitCode(), again.report().summary());
        assertEquals("4", Files.readString(dir.resolve("out/constant.txt")).trim());
        assertEquals("4", Files.readString(dir.resolve("out/parameter.txt")).trim());
        for (RunReport.NodeSummary n : again.report().nodes()) {
            assertEquals(0, n.cached(), n.node() + " reused a result made from the file's old content");
        }
    }

    @Test
    void aFileLiteralThatDoesNotExistFailsItsJobNamingThePath(@TempDir Path dir) throws Exception {
        Path network = Files.writeString(dir.resolve("missing.yaml"), """
                network: missing-file
                nodes:
                  count:
                    tool: examples/CountLines:1.0
                    parameters: {text: nowhere/lines.txt}
                sinks:
                  lines: {from: count.lines, url: "%s/lines.txt"}
                """.formatted(dir.resolve("out").toUri()));
        Runner.Result r = Runner.run(request(network, dir.resolve("work"), false));
        assertEquals(1, r.exitCode());
        String error = r.report().failures().get(0).error();
        assertTrue(error.contains(dir.resolve("nowhere/lines.txt").toUri().toString()) && error.contains("does not exist"), error);
    }
}
