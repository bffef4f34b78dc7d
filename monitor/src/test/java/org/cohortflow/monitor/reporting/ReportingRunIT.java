package org.cohortflow.monitor.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.executors.monitor.MonitorSettings;
import org.cohortflow.monitor.MonitorFixture;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real runs (local executor and Spark {@code local[2]}) with one failing sample report to a monitor the
 * test starts; what the monitor's database holds must equal the run's own {@code report.json} and
 * {@code events.jsonl}. A run whose monitor is down completes with the same sinks.
 */
class ReportingRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SAMPLES = 12;

    @TempDir
    Path dir;

    @Test
    void a_local_run_with_one_failing_sample_leaves_every_jobs_final_state_in_the_monitor_as_in_its_report() throws Exception {
        reportsEveryJob("local");
    }

    @Test
    void a_spark_run_with_one_failing_sample_leaves_every_jobs_final_state_in_the_monitor_as_in_its_report() throws Exception {
        reportsEveryJob("spark");
    }

    private void reportsEveryJob(String executor) throws IOException, InterruptedException {
        CountingRun.prepare(dir, SAMPLES);
        try (TestDatabase dbs = TestDatabase.h2(); MonitorFixture m = MonitorFixture.start(dbs.fresh(), dir.resolve("monitor"))) {
            MonitorSettings settings = MonitorSettings.of(m.baseUri(), Optional.of(m.reporterToken()))
                    .withInterval(Duration.ofMillis(300));
            CountingRun.Outcome run = executor.equals("spark")
                    ? SparkRunInOwnJvm.run(dir, "r-" + executor, m.baseUri(), m.reporterToken())
                    : CountingRun.run(dir, "r-" + executor, executor, Optional.of(settings)).outcome();
            assertEquals(1, run.exitCode(), run.output());
            assertTrue(run.output().contains("monitor: " + m.baseUri() + "/runs/"), run.output());

            assertEquals(executor, sameAsReport(m.viewer(), dir.resolve("work/r-" + executor)).get("executor").asText());
        }
    }

    @Test
    void a_run_whose_monitor_is_down_completes_with_the_same_sinks_as_one_without_a_monitor() throws IOException {
        Path without = dir.resolve("without");
        Path down = dir.resolve("down");
        CountingRun.prepare(without, SAMPLES);
        CountingRun.prepare(down, SAMPLES);
        CountingRun plain = CountingRun.run(without, "plain", "local", Optional.empty());
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        MonitorSettings nowhere = MonitorSettings.of(URI.create("http://127.0.0.1:" + port), Optional.of("some-token"))
                .withInterval(Duration.ofMillis(300));
        long t0 = System.nanoTime();
        CountingRun reported = CountingRun.run(down, "down", "local", Optional.of(nowhere));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertEquals(plain.result().exitCode(), reported.result().exitCode());
        assertEquals(CountingRun.sinks(without), CountingRun.sinks(down));
        assertEquals(SAMPLES - 1 + 1, CountingRun.sinks(down).size(), "11 line counts and the total");
        assertTrue(reported.console().contains("not delivered") && reported.console().contains("cannot connect"),
                reported.console());
        // Not a speed measurement: the run may not hang on the monitor beyond its bounded wait (5 s) at the end.
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "the run took " + took);
        assertTrue(Files.readString(reported.runDir("down").resolve("events.jsonl")).contains("\"run-finished\""));
    }

    /**
     * Checks that the monitor holds the one run in {@code runDir} as its report and event log say: every event
     * once, every node's counts, every failure with its details, every missing job and sink output.
     *
     * @return the run's summary at the monitor
     */
    static JsonNode sameAsReport(org.cohortflow.server.testing.HttpTestClient viewer, Path runDir) throws IOException {
        JsonNode report = JSON.readTree(runDir.resolve("report.json").toFile());
        long eventLines = Files.readAllLines(runDir.resolve("events.jsonl")).stream().filter(l -> !l.isBlank()).count();
        JsonNode runs = viewer.get("/api/v1/runs").json();
        assertEquals(1, runs.size(), runs.toString());
        String key = runs.get(0).get("key").asText();
        JsonNode summary = runs.get(0);
        assertEquals("failed", summary.get("status").asText());
        assertEquals(eventLines, summary.get("events").asLong(), "every event of events.jsonl reached the monitor once");
        assertEquals(0, summary.get("dropped").asLong());

        JsonNode snapshot = viewer.get("/api/v1/runs/" + key + "/snapshot").json();
        Map<String, String> states = new HashMap<>();
        snapshot.get("jobs").forEach(j -> states.put(j.get(0).asText() + "/" + j.get(1).asText(), j.get(2).asText()));
        assertTrue(states.values().stream().noneMatch("running"::equals), "no job is left running: " + states);
        Map<String, JsonNode> nodes = new HashMap<>();
        snapshot.get("nodes").forEach(n -> nodes.put(n.get("node").asText(), n));
        for (JsonNode n : report.get("nodes")) {
            JsonNode got = nodes.get(n.get("node").asText());
            assertNotNull(got, "node " + n.get("node") + " in the monitor: " + snapshot.get("nodes"));
            assertEquals(n.get("succeeded").asInt(), got.get("done").asInt() + got.get("cached").asInt(), n.toString());
            assertEquals(n.get("cached").asInt(), got.get("cached").asInt(), n.toString());
            assertEquals(n.get("failed").asInt(), got.get("failed").asInt(), n.toString());
            assertEquals(n.get("missing").asInt(), got.get("missing").asInt(), n.toString());
            assertEquals(0, got.get("queued").asInt(), got.toString());
        }
        assertEquals(1, report.get("failures").size());
        for (JsonNode f : report.get("failures")) {
            JsonNode job = viewer.get("/api/v1/runs/" + key + "/job?node=" + f.get("node").asText() + "&sample="
                    + f.get("sample").asText()).json();
            assertEquals("failed", job.get("job").get("state").asText());
            assertEquals(f.get("command").asText(), job.get("command").asText());
            assertEquals(f.get("exitCode").asInt(), job.get("exitCode").asInt());
            assertEquals(f.get("stderrTail").asText(), job.get("stderrTail").asText());
            assertEquals(f.get("folder").asText(), job.get("folder").asText());
            assertTrue(job.get("stderrTail").asText().contains("it is bad"), job.toString());
        }
        for (JsonNode miss : report.get("missing")) {
            assertEquals("missing", states.get(miss.get("node").asText() + "/" + miss.get("sample").asText()), miss.toString());
        }
        int written = 0;
        for (JsonNode s : report.get("sinks")) {
            written += s.get("written").asInt();
        }
        assertEquals(written, states.entrySet().stream().filter(e -> e.getKey().startsWith("sink:")
                && e.getValue().equals("written")).count());
        assertEquals(report.toString(), viewer.get("/api/v1/runs/" + key + "/report").json().toString());
        return summary;
    }
}
