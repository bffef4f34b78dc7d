package org.cohortflow.executors.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.Executor;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.spark.SparkSettings;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job is logged {@code running} when it begins where it runs, not when its task is handed out: with one
 * slot and two jobs held at a gate, only one job is running while the gate is shut, and the second starts
 * after the first ended. On Spark the start reaches the driver while the job still runs (with the executors'
 * heartbeats), each Spark job is described by network, run, batch and nodes (in the UI and the event log).
 */
class TrueEventTimesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void onTheLocalExecutorAJobIsRunningFromWhenItStartsNotWhenItIsQueued() throws Exception {
        try (LocalExecutor local = new LocalExecutor(1)) {
            oneSlotTwoGatedJobs(local);
        }
    }

    @Test
    void onSparkAJobIsRunningFromWhenItStartsAndItsSparkJobIsDescribedInTheUiAndEventLog() throws Exception {
        Path eventLog = Files.createDirectories(dir.resolve("spark-events"));
        SparkExecutor spark = SparkExecutor.create(new SparkSettings("local[1]", 0, Map.of(
                "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1",
                "spark.ui.port", "0", // a port of the system's choosing: tests run beside others on this machine
                "spark.eventLog.enabled", "true", "spark.eventLog.dir", eventLog.toUri().toString(),
                "spark.eventLog.compress", "false")));
        try {
            oneSlotTwoGatedJobs(spark);
            String ui = spark.uiUrl().orElseThrow(() -> new AssertionError("Spark's UI is not running"));
            HttpResponse<String> jobs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ui + "/jobs/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, jobs.statusCode());
            assertTrue(jobs.body().contains("cohortflow network &#39;gated&#39;, run &#39;gated&#39;, batch 1")
                    || jobs.body().contains("cohortflow network 'gated', run 'gated', batch 1"), "Spark UI's job list: " + jobs.body());
        } finally {
            spark.close();
        }
        StringBuilder log = new StringBuilder();
        // Spark 4 writes a rolling log by default: a folder of event files per application.
        try (Stream<Path> files = Files.walk(eventLog)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith("events_")).toList()) {
                log.append(Files.readString(f));
            }
        }
        assertTrue(log.indexOf("\"spark.job.description\":\"cohortflow network 'gated', run 'gated', batch 1: 2 tasks of count\"") >= 0,
                "the event log names the network, run, batch and nodes of each Spark job");
        // In local mode sink outputs are written on the driver as their jobs finish, not as Spark jobs of their own.
        assertTrue(log.indexOf("sink write") < 0, "no Spark job writes sinks in local mode");
    }

    private void oneSlotTwoGatedJobs(Executor executor) throws Exception {
        Path gate = dir.resolve("gate");
        NetworkYaml.Loaded n = Fixtures.network("""
                network: gated
                sources:
                  texts: {type: TextFile}
                nodes:
                  count: {tool: test/CountAfterGate:1.0, inputs: {text: texts, gate: gate}}
                constants:
                  gate: {type: String, value: "GATE"}
                sinks:
                  lines: {from: count.lines, url: "file:///x/{sample_id}.txt"}
                """.replace("GATE", gate.toString()), dir.resolve("sinks"));
        SourceData data = SourceData.builder()
                .add("texts", "a", Fixtures.write(dir.resolve("in/a.txt"), "1\n").toString())
                .add("texts", "b", Fixtures.write(dir.resolve("in/b.txt"), "1\n2\n").toString()).build();
        Path events = dir.resolve("work/gated/events.jsonl");
        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> executor.run(
                RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri())));

        // Until the gate opens the first job waits in its tool and the second for the one slot.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (jobEvents(events, "running").isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no job was logged running within 90 s: " + lines(events));
            assertTrue(!run.isDone(), "the run ended before its gate opened: " + lines(events));
            Thread.sleep(100);
        }
        assertEquals(1, jobEvents(events, "running").size(), "only the job that runs is running: " + lines(events));
        Files.writeString(gate, "open");
        RunReport r = run.get(120, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), r.summary());

        List<JsonNode> running = jobEvents(events, "running");
        List<JsonNode> done = jobEvents(events, "succeeded");
        assertEquals(2, running.size(), lines(events).toString());
        assertEquals(2, done.size(), lines(events).toString());
        JsonNode first = running.get(0);
        JsonNode second = running.get(1);
        JsonNode firstDone = done.stream().filter(e -> e.get("sample").equals(first.get("sample"))).findFirst().orElseThrow();
        assertTrue(second.get("time").asLong() >= firstDone.get("time").asLong(), "the second job started ("
                + second + ") after the first ended (" + firstDone + "), with one slot");
        for (JsonNode d : done) {
            JsonNode s = running.stream().filter(e -> e.get("sample").equals(d.get("sample"))).findFirst().orElseThrow();
            assertTrue(s.get("time").asLong() <= d.get("time").asLong(), s + " before " + d);
        }
        // The times are those of the jobs' own records.
        for (JsonNode s : running) {
            JsonNode record = JSON.readTree(dir.resolve("work/gated/count/" + s.get("sample").asText() + "/job.json").toFile());
            assertEquals(record.get("start").asLong(), s.get("time").asLong(), record.toString());
        }
    }

    private static List<JsonNode> jobEvents(Path events, String state) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines(events)) {
            try {
                JsonNode e = JSON.readTree(line);
                if ("job".equals(e.path("type").asText()) && state.equals(e.path("state").asText())) {
                    out.add(e);
                }
            } catch (IOException partial) {
                // a line being written
            }
        }
        return out;
    }

    private static List<String> lines(Path events) {
        try {
            return Files.exists(events) ? Files.readAllLines(events) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
