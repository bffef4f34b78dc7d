package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.testing.Fixtures;
import org.cohortflow.executors.testing.OtherJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureIsolationTest {
    private final LocalExecutor local = new LocalExecutor(2);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        local.close();
    }

    static final String COUNT = """
            network: counting
            sources:
              texts: {type: TextFile}
            nodes:
              count: {tool: TOOL, inputs: {text: texts}}
              twice: {tool: test/FailOn:1.0, inputs: {value: count.lines}}
              total: {tool: basic/Sum:1.0, inputs: {values: {from: count.lines, collapse: texts}}}
            sinks:
              lines: {from: twice.result, url: "file:///x/{sample_id}.txt"}
              total: {from: total.total, url: "file:///x/total.txt"}
            """;

    private RunReport run(String tool, SourceData data) {
        NetworkYaml.Loaded n = Fixtures.network(COUNT.replace("TOOL", tool), dir.resolve("sinks"));
        return local.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri()));
    }

    private SourceData texts(Map<String, String> contents) {
        SourceData.Builder b = SourceData.builder();
        contents.forEach((id, text) -> b.add("texts", id, Fixtures.write(dir.resolve("in/" + id + ".txt"), text).toString()));
        return b.build();
    }

    @Test
    void oneFailingSampleMakesItsDependantsMissingWhileEveryOtherSampleCompletes() {
        RunReport r = run("test/CountUnlessBad:1.0", texts(Map.of("a", "1\n", "b", "1\n2\n", "c", "bad\n", "d", "1\n2\n3\n")));

        assertEquals(1, r.exitCode());
        assertEquals(1, r.failures().size(), r.summary());
        RunReport.Failure f = r.failures().get(0);
        assertEquals("count", f.node());
        assertEquals("c", f.sample());
        assertEquals(3, f.exitCode());
        assertTrue(f.command().startsWith("sh -c "), f.command());
        assertTrue(f.command().endsWith("in/c.txt"), f.command());
        assertTrue(f.stderrTail().contains("it is bad"), f.stderrTail());
        assertTrue(Files.exists(Path.of(java.net.URI.create(f.folder())).resolve("stderr.txt")));
        assertEquals(Map.of("a.txt", "2\n", "b.txt", "4\n", "d.txt", "6\n"), Fixtures.outputs(dir.resolve("sinks/lines")));
        assertTrue(r.missing().stream().anyMatch(m -> m.node().equals("twice") && m.sample().equals("c")
                && m.reason().equals("job count/c failed")), r.summary());
        assertTrue(r.missing().stream().anyMatch(m -> m.node().equals("total")), r.summary());
        String summary = r.summary();
        assertTrue(summary.contains("count / c") && summary.contains("exit code: 3") && summary.contains("it is bad"), summary);
    }

    @Test
    void aJavaToolThatThrowsFailsOnlyItsOwnSampleAndItsDependantsWithItsCauseInTheSummaryAndItsTraceInTheLog() throws IOException {
        NetworkYaml.Loaded n = Fixtures.network("""
                network: doubling
                sources:
                  numbers: {type: Int}
                nodes:
                  twice: {tool: test/FailOn:1.0, inputs: {value: numbers}, parameters: {bad: 2}}
                  plus: {tool: basic/AddInt:1.0, inputs: {left: twice.result}, parameters: {right: 1}}
                sinks:
                  out: {from: plus.result, url: "file:///x/{sample_id}.txt"}
                """, dir.resolve("sinks"));
        SourceData data = SourceData.builder().add("numbers", "one", "1").add("numbers", "two", "2")
                .add("numbers", "three", "3").build();
        RunReport r = local.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri()));

        assertEquals(1, r.exitCode());
        assertEquals(1, r.failures().size(), r.summary());
        RunReport.Failure f = r.failures().get(0);
        Path log = Path.of(java.net.URI.create(f.folder())).resolve("stderr.txt");
        assertEquals("sample 'two': IllegalArgumentException: refusing to double 2 (stack trace in " + f.folder() + "/stderr.txt)",
                f.error());
        assertTrue(Files.readString(log).contains("TestTools"), "the stack trace is kept in the job's log");
        assertFalse(r.summary().contains("\tat "), "the summary shows the cause, not the stack trace:\n" + r.summary());
        assertEquals(java.util.List.of(new RunReport.Missing("plus", "two", "job twice/two failed")), r.missing());
        assertEquals(Map.of("one.txt", "3\n", "three.txt", "7\n"), Fixtures.outputs(dir.resolve("sinks/out")));
    }

    @Test
    void aSourceUriThatDoesNotExistFailsItsSampleWithAnErrorNamingIt() {
        SourceData data = SourceData.builder()
                .add("texts", "here", Fixtures.write(dir.resolve("in/here.txt"), "1\n").toString())
                .add("texts", "gone", dir.resolve("in/gone.txt").toString()).build();
        RunReport r = run("examples/CountLines:1.0", data);

        assertEquals(1, r.failures().size(), r.summary());
        String error = r.failures().get(0).error();
        assertTrue(error.startsWith("sample 'gone': source 'texts': ") && error.endsWith("in/gone.txt does not exist"), error);
        assertEquals("2\n", Fixtures.outputs(dir.resolve("sinks/lines")).get("here.txt"));
    }

    @Test
    void aSourceThatIsNotAReadableFileOfItsTypeFailsItsSampleWithAnErrorNamingIt() throws IOException {
        Files.createDirectories(dir.resolve("in/folder.txt"));
        SourceData data = SourceData.builder()
                .add("texts", "fine", Fixtures.write(dir.resolve("in/fine.txt"), "1\n").toString())
                .add("texts", "folder", dir.resolve("in/folder.txt").toString()).build();
        RunReport r = run("examples/CountLines:1.0", data);

        assertEquals(1, r.failures().size(), r.summary());
        String error = r.failures().get(0).error();
        assertTrue(error.startsWith("sample 'folder': input 'text': ") && error.contains("is not a regular file (expected TextFile)"), error);
        assertEquals("2\n", Fixtures.outputs(dir.resolve("sinks/lines")).get("fine.txt"));
    }

    /**
     * Runs as any user, root included (CI runs as root): root reads files whatever their permissions
     * because it holds CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so as root the run happens in a JVM
     * started by {@code setpriv} without those two capabilities. It is still root and owns the file,
     * but now its permission bits ({@code ---------}) apply.
     */
    @Test
    void aFileWithoutReadPermissionFailsItsSampleWithAnErrorNamingIt() throws Exception {
        Path locked = Fixtures.write(dir.resolve("in/locked.txt"), "1\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Path fine = Fixtures.write(dir.resolve("in/fine.txt"), "1\n");
        List<String> prefix = List.of();
        if ("root".equals(System.getProperty("user.name"))) {
            assertTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "running as root, this test needs setpriv"
                    + " (Debian package util-linux) to start the run without root's right to read every file");
            prefix = List.of("/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search");
        }
        Path log = dir.resolve("run.log");
        int exit = OtherJvm.exitCode(prefix, CountLinesRun.class, 0, log, dir.toString(), "fine=" + fine, "locked=" + locked);

        String output = Files.readString(log);
        assertEquals(1, exit, output);
        List<String> failures = output.lines().filter(l -> l.startsWith("FAILURE: ")).toList();
        assertEquals(List.of("FAILURE: sample 'locked': source 'texts': cannot read " + locked.toUri()
                + ": AccessDeniedException: " + locked), failures, output);
        assertEquals("2\n", Fixtures.outputs(dir.resolve("sinks/lines")).get("fine.txt"), output);
        assertFalse(Files.exists(dir.resolve("sinks/lines/locked.txt")));
    }

    @Test
    void aToolThatHangsIsKilledAtItsTimeoutAndOnlyItsSampleFails() {
        long start = System.currentTimeMillis();
        RunReport r = run("test/CountUnlessHangs:1.0", texts(Map.of("quick", "1\n", "stuck", "hang\n", "fast", "1\n2\n")));

        assertTrue(System.currentTimeMillis() - start < 90_000, "the hanging tool was not killed in time");
        assertEquals(1, r.failures().size(), r.summary());
        RunReport.Failure f = r.failures().get(0);
        assertEquals("sample 'stuck': tool test/CountUnlessHangs:1.0 timed out after 2s and was killed with every process it"
                + " started (the timeout of tool test/CountUnlessHangs:1.0)", f.error());
        assertNotNull(f.command());
        assertEquals(Map.of("quick.txt", "2\n", "fast.txt", "4\n"), Fixtures.outputs(dir.resolve("sinks/lines")));
    }
}
