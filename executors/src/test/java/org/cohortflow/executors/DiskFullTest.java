package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk or an unwritable log: the run says where and why, keeps what it can, and never leaves half a line. */
class DiskFullTest {
    @TempDir
    Path dir;

    private RunSpec spec(Path work) {
        NetworkYaml.Loaded n = Fixtures.example("count-lines.yaml", dir.resolve("sinks"));
        SourceData.Builder b = SourceData.builder();
        for (String id : List.of("a", "b", "c")) {
            b.add("texts", id, Fixtures.write(dir.resolve("in/" + id + ".txt"), id + "\n").toString());
        }
        return RunSpec.of(n.network(), n.locator(), Fixtures.tools(), b.build(), work.toUri());
    }

    private static RunReport run(RunSpec spec) {
        try (LocalExecutor local = new LocalExecutor(2)) {
            return local.run(spec);
        }
    }

    private static void assertEveryLineIsJson(Path events) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(events);
        assertFalse(lines.isEmpty());
        for (String l : lines) {
            json.readTree(l); // throws on a cut-off line
        }
        assertTrue(Files.readString(events).endsWith("\n"));
    }

    @Test
    void aCutOffLastEventLineIsDroppedWhenTheRunResumes() throws IOException {
        RunSpec spec = spec(dir.resolve("work"));
        assertEquals(0, run(spec).exitCode());
        Path events = dir.resolve("work/count-lines/events.jsonl");
        Files.writeString(events, "{\"time\":17,\"kind\":\"jo", java.nio.file.StandardOpenOption.APPEND);

        assertEquals(0, run(spec.withResume(true)).exitCode());
        assertEveryLineIsJson(events);
        assertFalse(Files.readString(events).contains("\"time\":17,"));
    }

    @Test
    void anEventLogThatCannotBeWrittenIsReportedWithItsPathAndTheCauseWhileTheResultsAreStillWritten() throws IOException {
        RunSpec spec = spec(dir.resolve("work"));
        assertEquals(0, run(spec).exitCode());
        Path events = dir.resolve("work/count-lines/events.jsonl");
        Files.delete(events);
        Files.createSymbolicLink(events, Path.of("/dev/full")); // every write: ENOSPC, as on a full disk
        Fixtures.write(dir.resolve("in/b.txt"), "b\nb\n");

        RunReport r = run(spec.withResume(true));
        assertEquals(1, r.exitCode(), "an incomplete log is a problem of the run");
        assertEquals(1, r.problems().size(), r.summary());
        String p = r.problems().get(0);
        assertTrue(p.contains("events.jsonl") && p.contains("No space left on device"), p);
        assertTrue(r.summary().contains("run problem: cannot write run events to "), r.summary());
        assertEquals("2\n", Files.readString(dir.resolve("sinks/lines/b.txt")), "the results are still written");
        assertTrue(Files.readString(dir.resolve("work/count-lines/report.json")).contains("No space left on device"));
    }

    @Test
    void aFullWorkFolderStopsTheRunBeforeItStartsNamingThePathAndTheCause() throws Exception {
        Path full = Files.createDirectories(dir.resolve("full"));
        mountSmallTmpfs(full);
        try {
            try (OutputStream out = Files.newOutputStream(full.resolve("filler"))) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (IOException expected) {
                assertTrue(expected.getMessage().contains("No space left on device"), expected.getMessage());
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(spec(full.resolve("work"))));
            assertTrue(e.getMessage().contains(full.resolve("work").toString()), e.getMessage());
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        } finally {
            Process u = new ProcessBuilder("umount", full.toString()).inheritIO().start();
            if (!u.waitFor(30, TimeUnit.SECONDS) || u.exitValue() != 0) {
                new ProcessBuilder("umount", "-l", full.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("the tmpfs was still in use after the run: a file was left open");
            }
        }
    }

    /** A 64 KiB tmpfs: a real full file system, as on a full disk. Needs root (CI runs as root). */
    private static void mountSmallTmpfs(Path at) throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", at.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                "this test fills a small tmpfs and needs to mount one (as root, with mount from util-linux): " + out);
    }
}
