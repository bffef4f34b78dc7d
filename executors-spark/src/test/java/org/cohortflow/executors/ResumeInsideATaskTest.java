package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.testing.Fixtures;
import org.cohortflow.executors.testing.OtherJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume inside a fused task: each job of a sample's task commits its record (and, with {@code --keep all}, its
 * outputs) where it runs as soon as it ends, and the driver logs it {@code succeeded} and writes the sinks it
 * completes then, not when the task ends. A run killed with SIGKILL while the last job of every task waits (for a
 * gate file the test creates only after the kill; no timing) resumes with the earlier jobs cached and writes the
 * sinks of an uninterrupted run, byte for byte.
 */
class ResumeInsideATaskTest {
    /** The jobs of each task before the waiting one. */
    private static final List<String> QUICK = List.of("first", "table", "parquet");
    private static final long WAIT_MINUTES = 3;

    @TempDir
    Path dir;

    private void check(String executorName, Executor resumeOn, Executor straightOn) throws Exception {
        Path killed = dir.resolve("killed");
        Path gate = dir.resolve("gate");
        Path log = dir.resolve("killed.log");
        Process p = OtherJvm.start(KilledInTaskRun.class, log, executorName, killed.toString(), gate.toString());
        Path events = killed.resolve("work/gated-chain/events.jsonl");
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WAIT_MINUTES);
            // Both tasks run their waiting job, and every job before it is logged succeeded and its sinks written.
            while (!(count(events, "gated", "running") == 2 && QUICK.stream().allMatch(n -> count(events, n, "succeeded") == 2)
                    && Files.exists(killed.resolve("sinks/parquet/b.parquet")) && Files.exists(killed.resolve("sinks/firsts/a.txt")))) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the run did not log its quick jobs succeeded and write their sinks while"
                            + " the waiting ones ran (alive: " + p.isAlive() + ")\nevents:\n" + read(events) + "\nlog:\n" + read(log));
                }
                Thread.sleep(100);
            }
            assertTrue(p.isAlive(), "the run waits for its gate");
            assertEquals(0, count(events, "gated", "succeeded"));
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block, the tasks never end
            assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the killed JVM ended");
        }
        for (String node : QUICK) {
            for (String sample : List.of("a", "b")) {
                assertTrue(Files.isRegularFile(killed.resolve("work/gated-chain/" + node + "/" + sample + "/job.json")),
                        node + "/" + sample + " committed its record before its task ended");
            }
        }
        Files.writeString(gate, "open");

        RunReport resumed = resumeOn.run(KilledInTaskRun.spec(killed, gate, true));
        assertEquals(0, resumed.exitCode(), resumed.summary());
        for (RunReport.NodeSummary n : resumed.nodes()) {
            assertEquals(new RunReport.NodeSummary(n.node(), 2, n.node().equals("gated") ? 0 : 2, 0, 0), n, resumed.summary());
        }
        RunReport straight = straightOn.run(KilledInTaskRun.spec(dir.resolve("straight"), gate, false));
        assertEquals(0, straight.exitCode(), straight.summary());
        Map<String, String> expected = Fixtures.outputs(dir.resolve("straight/sinks"));
        assertEquals(6, expected.size(), expected.keySet().toString());
        assertEquals(expected, Fixtures.outputs(killed.resolve("sinks")), "the resumed run's sinks are the uninterrupted run's");
    }

    /** How many {@code node} jobs the log has in {@code state}. */
    private static long count(Path events, String node, String state) {
        return read(events).lines().filter(l -> l.contains("\"type\":\"job\"") && l.contains("\"node\":\"" + node + "\"")
                && l.contains("\"state\":\"" + state + "\"")).count();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void aRunKilledWhileTheLastJobOfEachTaskRunsResumesWithTheEarlierJobsCachedAndTheSameSinksOnTheLocalExecutor()
            throws Exception {
        try (LocalExecutor local = new LocalExecutor(2)) {
            check("local", local, local);
        }
    }

    @Test
    void aRunKilledWhileTheLastJobOfEachTaskRunsResumesWithTheEarlierJobsCachedAndTheSameSinksOnSpark() throws Exception {
        try (SparkExecutor spark = SharedSpark.start()) {
            check("spark", spark, spark);
        }
    }
}
