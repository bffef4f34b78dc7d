package org.cohortflow.monitor.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cohortflow.executors.RunRequest;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.Runner;
import org.cohortflow.executors.SourceBinding;
import org.cohortflow.executors.monitor.MonitorSettings;
import org.cohortflow.monitor.MonitorFixture;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor shows true running counts and timelines: a run with one slot and three jobs held at a gate
 * shows one job running and two queued (not three running, as when jobs were logged running on hand-out),
 * and once the gate opens the jobs' spans follow each other without overlapping.
 */
class TrueRunningCountsIT {
    private static final String GATE_TOOL = """
            id: it/CountAfterGate:1.0
            inputs:
              - {id: text, type: TextFile}
              - {id: gate, type: String}
            outputs:
              - {id: lines, type: Int, collect: {stdout: '(\\d+)'}}
            command:
              executable: sh
              arguments: ["-c", 'while [ ! -e "$2" ]; do sleep 0.05; done; wc -l < "$1"', "sh", {value: text}, {value: gate}]
            timeout: 120s
            """;

    @TempDir
    Path dir;

    @Test
    void withOneSlotTheMonitorShowsOneJobRunningAndTheOthersQueuedAndTheirSpansDoNotOverlap() throws Exception {
        Path gate = dir.resolve("gate");
        Files.createDirectories(dir.resolve("tools"));
        Files.writeString(dir.resolve("tools/gate.yaml"), GATE_TOOL);
        Files.writeString(dir.resolve("gated.yaml"), """
                network: gated
                sources:
                  texts: {type: TextFile}
                constants:
                  gate: {type: String, value: "GATE"}
                nodes:
                  count: {tool: it/CountAfterGate:1.0, inputs: {text: texts, gate: gate}}
                sinks:
                  lines: {from: count.lines, url: "SINKS/{sample_id}.txt"}
                """.replace("GATE", gate.toString()).replace("SINKS", dir.resolve("sinks").toUri().toString().replaceAll("/$", "")));
        Files.createDirectories(dir.resolve("in"));
        for (String s : List.of("a", "b", "c")) {
            Files.writeString(dir.resolve("in/" + s + ".txt"), s + "\n");
        }
        try (TestDatabase dbs = TestDatabase.h2(); MonitorFixture m = MonitorFixture.start(dbs.fresh(), dir.resolve("monitor"))) {
            MonitorSettings settings = MonitorSettings.of(m.baseUri(), Optional.of(m.reporterToken())).withInterval(Duration.ofMillis(300));
            PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            // One thread: the run id is the network's, "gated".
            RunRequest request = RunRequest.local(dir.resolve("gated.yaml"), List.of(dir.resolve("tools")),
                    List.of(SourceBinding.SourceArgument.parse("texts=" + dir.resolve("in") + "/*.txt")), dir.resolve("work").toString())
                    .withParallelism(1).withProgress(RunSpec.Progress.OFF, console);
            CompletableFuture<Runner.Result> run = CompletableFuture.supplyAsync(() -> Runner.run(request, Optional.of(settings)));

            JsonNode count = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (count == null || count.get("running").asInt() == 0) {
                assertTrue(System.nanoTime() < deadline, "the monitor never showed a running job: " + count);
                assertTrue(!run.isDone(), "the run ended before its gate opened");
                Thread.sleep(200);
                JsonNode runs = m.viewer().get("/api/v1/runs").json();
                if (runs.size() == 1) {
                    count = countNode(m.viewer().get("/api/v1/runs/" + runs.get(0).get("key").asText()).json());
                }
            }
            // With the gate shut nothing else can start: the counts stay as they are now.
            assertEquals(1, count.get("running").asInt(), count.toString());
            assertEquals(2, count.get("queued").asInt(), count.toString());

            Files.writeString(gate, "open");
            assertEquals(0, run.get(120, TimeUnit.SECONDS).exitCode());
            String key = m.viewer().get("/api/v1/runs").json().get(0).get("key").asText();
            // The last batch may still be on its way: wait for every job's end.
            List<Instant[]> spans = new ArrayList<>();
            while (spans.size() < 3) {
                assertTrue(System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(60), "jobs never all finished at the monitor");
                Thread.sleep(200);
                spans.clear();
                for (JsonNode j : m.viewer().get("/api/v1/runs/" + key + "/snapshot").json().get("jobs")) {
                    if (j.get(0).asText().equals("count") && j.get(2).asText().equals("succeeded") && !j.get(3).isNull() && !j.get(4).isNull()) {
                        spans.add(new Instant[] {instant(j.get(3)), instant(j.get(4))});
                    }
                }
            }
            spans.sort((x, y) -> x[0].compareTo(y[0]));
            for (int i = 1; i < spans.size(); i++) {
                assertTrue(!spans.get(i)[0].isBefore(spans.get(i - 1)[1]), "with one slot a job starts after the one before"
                        + " it ended: " + spans.get(i - 1)[0] + ".." + spans.get(i - 1)[1] + " then " + spans.get(i)[0]);
            }
        }
    }

    private static JsonNode countNode(JsonNode run) {
        for (JsonNode n : run.get("nodes")) {
            if (n.get("node").asText().equals("count")) {
                return n;
            }
        }
        return null;
    }

    private static Instant instant(JsonNode v) {
        return v.isNumber() ? Instant.ofEpochMilli(v.asLong()) : Instant.parse(v.asText());
    }
}
