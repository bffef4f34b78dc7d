package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
    private final LocalExecutor local = new LocalExecutor(2);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        local.close();
    }

    @Test
    void aRunKilledWithSigkillHalfWayAndResumedWritesTheSameSinksAsAnUninterruptedRun() throws Exception {
        Path killed = dir.resolve("killed");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledRun.class.getName(), killed.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        Path slow = killed.resolve("work/slow-chain/slow");
        long deadline = System.currentTimeMillis() + 60_000;
        while (finishedJobs(slow) < 6 && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the run ended before it could be killed; see " + dir.resolve("killed.log"));
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        int done = finishedJobs(slow);
        assertTrue(done < KilledRun.SAMPLES, "killed after " + done + " jobs");

        RunReport resumed = local.run(KilledRun.spec(killed, true));
        RunReport straight = local.run(KilledRun.spec(dir.resolve("straight"), false));

        assertEquals(0, resumed.exitCode(), resumed.summary());
        assertEquals(0, straight.exitCode(), straight.summary());
        assertEquals(Fixtures.outputs(dir.resolve("straight/sinks")),
                Fixtures.outputs(killed.resolve("sinks")));
        assertEquals(KilledRun.SAMPLES + 1, Fixtures.outputs(killed.resolve("sinks")).size());
        RunReport.NodeSummary slowNode = resumed.nodes().get(0);
        assertTrue(slowNode.cached() >= done - 2 && slowNode.cached() < KilledRun.SAMPLES, resumed.summary());
        assertEquals(List.of(), hiddenLeftovers(killed.resolve("sinks")), "temporary files left behind");
    }

    @Test
    void aChangedInputRerunsOnlyTheJobsThatDependOnIt() {
        Path texts = dir.resolve("texts");
        SourceData.Builder data = SourceData.builder();
        for (int i = 0; i < 5; i++) {
            data.add("texts", "doc" + i, Fixtures.write(texts.resolve("doc" + i + ".txt"), "x\n".repeat(i + 1)).toString());
        }
        NetworkYaml.Loaded n = Fixtures.example("count-lines.yaml", dir.resolve("sinks"));
        RunSpec spec = RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data.build(), dir.resolve("work").toUri());
        assertEquals(0, local.run(spec).exitCode());

        Fixtures.write(texts.resolve("doc2.txt"), "x\n".repeat(10));
        RunReport again = local.run(spec.withResume(true));

        assertEquals(new RunReport.NodeSummary("count", 5, 4, 0, 0), again.nodes().get(0), again.summary());
        assertEquals(new RunReport.NodeSummary("total", 1, 0, 0, 0), again.nodes().get(1), again.summary());
        assertEquals("22.0\n", Fixtures.files(dir.resolve("sinks/total")).get("total.txt"));
        assertEquals("10\n", Fixtures.files(dir.resolve("sinks/lines")).get("doc2.txt"));

        RunReport unchanged = local.run(spec.withResume(true));
        assertEquals(6, unchanged.cached(), "nothing changed, nothing runs:\n" + unchanged.summary());
    }

    @Test
    void aNewToolVersionRerunsItsNodeAndWhatDependsOnItButNotTheRest() throws IOException {
        Path tools = dir.resolve("tools");
        String upper = Files.readString(Fixtures.testTools().resolve("upper.yaml"));
        Fixtures.write(tools.resolve("upper.yaml"), upper);
        String network = """
                network: versions
                sources:
                  texts: {type: TextFile}
                nodes:
                  upper: {tool: test/Upper:VERSION, inputs: {text: texts}}
                  count: {tool: examples/CountLines:1.0, inputs: {text: upper.upper}}
                  plain: {tool: examples/CountLines:1.0, inputs: {text: texts}}
                sinks:
                  counted: {from: count.lines, url: "file:///x/{sample_id}.txt"}
                  plain: {from: plain.lines, url: "file:///x/{sample_id}.txt"}
                """;
        SourceData data = SourceData.builder()
                .add("texts", "a", Fixtures.write(dir.resolve("in/a.txt"), "one\n").toString())
                .add("texts", "b", Fixtures.write(dir.resolve("in/b.txt"), "one\ntwo\n").toString()).build();
        NetworkYaml.Loaded v1 = Fixtures.network(network.replace("VERSION", "1.0"), dir.resolve("sinks"));
        ToolSet toolSet = ToolSet.load(List.of(Fixtures.repo().resolve("examples/tools"), tools));
        assertEquals(0, local.run(RunSpec.of(v1.network(), v1.locator(), toolSet, data, dir.resolve("work").toUri()))
                .exitCode());

        // Version 1.1 also appends a line, so its output (and what is computed from it) changes.
        Fixtures.write(tools.resolve("upper.yaml"), upper.replace("Upper:1.0", "Upper:1.1")
                .replace("> \"$2/upper.txt\"", "> \"$2/upper.txt\"; echo END >> \"$2/upper.txt\""));
        NetworkYaml.Loaded v2 = Fixtures.network(network.replace("VERSION", "1.1"), dir.resolve("sinks"));
        RunReport r = local.run(RunSpec.of(v2.network(), v2.locator(), ToolSet.load(List.of(
                Fixtures.repo().resolve("examples/tools"), tools)), data, dir.resolve("work").toUri()).withResume(true));

        assertEquals(0, r.exitCode(), r.summary());
        Map<String, RunReport.NodeSummary> nodes = new java.util.HashMap<>();
        r.nodes().forEach(s -> nodes.put(s.node(), s));
        assertEquals(0, nodes.get("upper").cached(), r.summary());
        assertEquals(0, nodes.get("count").cached(), r.summary());
        assertEquals(2, nodes.get("plain").cached(), r.summary());
        assertEquals("3\n", Fixtures.files(dir.resolve("sinks/counted")).get("b.txt"));
    }

    @Test
    void anExistingRunFolderIsNeverReusedWithoutResume() {
        RunSpec spec = KilledRun.spec(dir, false);
        SourceData small = SourceData.builder().add("numbers", "a", "1").build();
        assertEquals(0, local.run(spec.withData(small)).exitCode());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> local.run(spec.withData(small)));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    }

    private static int finishedJobs(Path node) throws IOException {
        if (!Files.isDirectory(node)) {
            return 0;
        }
        // Per sample folder, not Files.walk: the run being watched creates and renames temporary files all the
        // time, and a walk that meets one as it vanishes fails.
        int n = 0;
        try (java.nio.file.DirectoryStream<Path> samples = Files.newDirectoryStream(node)) {
            for (Path sample : samples) {
                if (Files.isRegularFile(sample.resolve("job.json"))) {
                    n++;
                }
            }
        }
        return n;
    }

    private static List<String> hiddenLeftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(f -> f.getFileName().toString()).filter(f -> f.startsWith(".")).toList();
        }
    }
}
