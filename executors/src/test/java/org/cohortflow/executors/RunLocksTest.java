package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.storage.FolderLock;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs lock what they write: their run folder for their whole life, each sink folder while they write it. */
class RunLocksTest {
    @TempDir
    Path dir;

    private static final String GATED = """
            network: gated
            sources:
              texts: {type: TextFile}
            constants:
              gate: {type: String, value: "GATE"}
            nodes:
              count: {tool: test/CountAfterGate:1.0, inputs: {text: texts, gate: gate}}
            sinks:
              lines: {from: count.lines, url: "SINKS/{sample_id}.txt"}
            """;

    private RunSpec spec(Path work, Path sinks, Map<String, String> texts) {
        NetworkYaml.Loaded n = NetworkYaml.read(GATED.replace("GATE", dir.resolve("gate").toString())
                .replace("SINKS", sinks.toUri().toString().replaceAll("/$", "")), "gated.yaml");
        SourceData.Builder b = SourceData.builder();
        texts.forEach((id, t) -> b.add("texts", id, Fixtures.write(work.resolveSibling(work.getFileName() + "-in/" + id + ".txt"), t).toString()));
        return RunSpec.of(n.network(), n.locator(), Fixtures.tools(), b.build(), work.toUri());
    }

    private static RunReport run(RunSpec spec) {
        try (LocalExecutor local = new LocalExecutor(2)) {
            return local.run(spec);
        }
    }

    private static void awaitFile(Path p) throws InterruptedException {
        for (int i = 0; i < 400 && !Files.exists(p); i++) {
            Thread.sleep(25);
        }
        assertTrue(Files.exists(p), p + " never appeared");
    }

    @Test
    void aSecondRunOfABusyRunFolderStopsAtOnceSayingWhichRunAndProcessHoldsIt() throws Exception {
        RunSpec first = spec(dir.resolve("work"), dir.resolve("out"), Map.of("a", "1\n", "b", "1\n2\n"));
        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> run(first));
        awaitFile(dir.resolve("work/gated/events.jsonl"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(first.withResume(true)));
        assertTrue(e.getMessage().contains("is in use by run 'gated' of network 'gated', process "
                + ProcessHandle.current().pid()), e.getMessage());
        assertTrue(e.getMessage().contains("pass --wait"), e.getMessage());

        Files.writeString(dir.resolve("gate"), "open");
        assertEquals(0, running.get(60, TimeUnit.SECONDS).exitCode());
        assertFalse(Files.exists(dir.resolve("work/gated/" + FolderLock.FILE)), "the lock file is removed at the end");
        assertFalse(Files.exists(dir.resolve("out/" + FolderLock.FILE)));
    }

    @Test
    void withWaitTheSecondRunResumesTheFolderOnceTheFirstLetsGoAndReusesItsResults() throws Exception {
        RunSpec first = spec(dir.resolve("work"), dir.resolve("out"), Map.of("a", "1\n", "b", "1\n2\n"));
        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> run(first));
        awaitFile(dir.resolve("work/gated/events.jsonl"));
        CompletableFuture<RunReport> waiting = CompletableFuture.supplyAsync(() -> run(first.withResume(true)
                .withWrites(new WritePolicy(Duration.ofSeconds(60), false))));
        Thread.sleep(300);
        assertFalse(waiting.isDone(), "the second run waits while the first holds the folder");

        Files.writeString(dir.resolve("gate"), "open");
        assertEquals(0, running.get(60, TimeUnit.SECONDS).exitCode());
        RunReport second = waiting.get(60, TimeUnit.SECONDS);
        assertEquals(0, second.exitCode(), second.summary());
        assertEquals(2, second.nodes().get(0).cached(), second.summary());
    }

    @Test
    void aSinkOutputOfAnotherRunIsNeverReplacedWithOtherContentUnlessTheUserSaysOverwrite() throws Exception {
        Files.writeString(dir.resolve("gate"), "open");
        Path out = dir.resolve("out");
        assertEquals(0, run(spec(dir.resolve("w1"), out, Map.of("a", "1\n", "b", "1\n2\n"))).exitCode());
        assertEquals("2\n", Files.readString(out.resolve("b.txt")));

        RunReport same = run(spec(dir.resolve("w2"), out, Map.of("a", "1\n", "b", "1\n2\n")));
        assertEquals(0, same.exitCode(), "the same bytes may be written again: " + same.sinkProblems());

        RunReport other = run(spec(dir.resolve("w3"), out, Map.of("a", "1\n", "b", "1\n2\n3\n")));
        assertEquals(1, other.exitCode());
        assertEquals(1, other.sinkProblems().size(), other.sinkProblems().toString());
        String why = other.sinkProblems().get(0).reason();
        assertTrue(why.contains("b.txt exists with other content, written by the run in file:" + dir.resolve("w2/gated"))
                && why.contains("--overwrite"), why);
        assertEquals("2\n", Files.readString(out.resolve("b.txt")), "the other run's output is untouched");

        RunSpec overwrite = spec(dir.resolve("w4"), out, Map.of("a", "1\n", "b", "1\n2\n3\n"))
                .withWrites(new WritePolicy(Duration.ZERO, true));
        assertEquals(0, run(overwrite).exitCode());
        assertEquals("3\n", Files.readString(out.resolve("b.txt")));
    }

    @Test
    void aFolderLockIsExclusiveNamesItsHolderAndIsGoneWhenReleased() throws Exception {
        Storage storage = new Storage(Map.of());
        java.net.URI folder = dir.resolve("f").toUri();
        try (FolderLock held = FolderLock.acquire(storage, folder, "run 'x'", Duration.ZERO)) {
            FolderLock.HeldException e = assertThrows(FolderLock.HeldException.class,
                    () -> FolderLock.acquire(storage, folder, "run 'y'", Duration.ofMillis(200)));
            assertTrue(e.holder().startsWith("run 'x', process " + ProcessHandle.current().pid()), e.holder());
            assertTrue(e.getMessage().contains("(waited 0 s)") || e.getMessage().contains("waited"), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("f").resolve(FolderLock.FILE)));
        try (FolderLock again = FolderLock.acquire(storage, folder, "run 'y'", Duration.ZERO)) {
            assertTrue(Files.exists(dir.resolve("f").resolve(FolderLock.FILE)));
        }
    }
}
