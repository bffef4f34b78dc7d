package org.cohortflow.monitor.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.cohortflow.monitor.MonitorFixture;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the monitor stores from what reporters send, written once and run on H2 ({@link RunStoreOnH2Test})
 * and on a real PostgreSQL ({@link RunStoreOnPostgresIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RunStoreContract {
    static final String NETWORK = """
            {"id": "counting",
             "sources": [{"id": "texts", "type": "TextFile"}],
             "nodes": [{"id": "count", "tool": "examples/CountLines:1.0", "dimensions": ["texts"],
                        "inputs": [{"id": "text", "type": "TextFile", "links": [{"from": "texts", "collapse": null, "expand": false}]}],
                        "outputs": [{"id": "lines", "type": "Int"}]},
                       {"id": "total", "tool": "basic/Sum:1.0", "dimensions": [],
                        "inputs": [{"id": "values", "type": "Int", "links": [{"from": "count.lines", "collapse": "texts", "expand": false}]}],
                        "outputs": [{"id": "total", "type": "Int"}]}],
             "sinks": [{"id": "total", "type": null, "from": {"from": "total.total", "collapse": null, "expand": false}}]}
            """;

    private TestDatabase dbs;
    private MonitorFixture monitor;

    @TempDir
    Path data;

    abstract TestDatabase databases();

    @BeforeAll
    void start() {
        dbs = databases();
    }

    @AfterAll
    void stop() {
        dbs.close();
    }

    private MonitorFixture fresh() {
        if (monitor != null) {
            monitor.close();
        }
        monitor = MonitorFixture.start(dbs.fresh(), data);
        return monitor;
    }

    @AfterAll
    void stopMonitor() {
        if (monitor != null) {
            monitor.close();
        }
    }

    static String start(String name) {
        return "{\"name\": \"" + name + "\", \"network\": " + NETWORK + ", \"executor\": null, \"runDir\": \"file:///w/" + name
                + "\", \"host\": \"node1\", \"startedAt\": null}";
    }

    static String job(long t, String node, String sample, String state, String detail) {
        return "{\"time\": " + t + ", \"type\": \"job\", \"node\": \"" + node + "\", \"sample\": \"" + sample
                + "\", \"state\": \"" + state + "\", \"detail\": " + (detail == null ? "null" : HttpTestClient.quote(detail)) + "}";
    }

    static String batch(long seq, long dropped, String... events) {
        return "{\"seq\": " + seq + ", \"dropped\": " + dropped + ", \"events\": [" + String.join(",", events) + "]}";
    }

    @Test
    void a_run_started_twice_with_the_same_key_is_one_run() {
        HttpTestClient r = fresh().reporter();
        assertEquals(201, r.put("/api/v1/runs/r1", start("r1")).status());
        HttpTestClient.Response again = r.put("/api/v1/runs/r1", start("r1"));
        assertEquals(200, again.status(), again.toString());
        assertFalse(again.json().get("created").asBoolean());
        JsonNode runs = monitor.viewer().get("/api/v1/runs").json();
        assertEquals(1, runs.size());
        assertEquals("reporter", runs.get(0).get("reporter").asText());
        assertEquals("running", runs.get(0).get("status").asText());
    }

    @Test
    void a_batch_sent_again_after_a_timeout_is_not_counted_twice() {
        HttpTestClient r = fresh().reporter();
        r.put("/api/v1/runs/r2", start("r2"));
        String planned = "{\"time\": 1000, \"type\": \"planned\", \"node\": \"count\", \"sample\": null, \"state\": \"3\", \"detail\": null}";
        String b1 = batch(1, 0, "{\"time\": 1000, \"type\": \"run-started\", \"node\": null, \"sample\": null, \"state\": \"local\", \"detail\": null}",
                planned, job(1001, "count", "a", "running", null), job(1002, "count", "b", "running", null));
        HttpTestClient.Response first = r.post("/api/v1/runs/r2/batches", b1);
        assertEquals(200, first.status(), first.toString());
        assertFalse(first.json().get("duplicate").asBoolean());
        HttpTestClient.Response resent = r.post("/api/v1/runs/r2/batches", b1);
        assertTrue(resent.json().get("duplicate").asBoolean(), resent.toString());
        r.post("/api/v1/runs/r2/batches", batch(2, 7, job(1100, "count", "a", "succeeded", null),
                job(1200, "count", "b", "failed", "exit code 3")));

        JsonNode run = monitor.viewer().get("/api/v1/runs/r2").json();
        assertEquals(6, run.get("run").get("events").asLong(), "events of the re-sent batch were counted once");
        assertEquals(7, run.get("run").get("dropped").asLong());
        assertEquals("local", run.get("run").get("executor").asText());
        JsonNode count = run.get("nodes").get(0);
        assertEquals("count", count.get("node").asText());
        assertEquals(3, count.get("planned").asInt());
        assertEquals(1, count.get("queued").asInt());
        assertEquals(0, count.get("running").asInt());
        assertEquals(1, count.get("done").asInt());
        assertEquals(1, count.get("failed").asInt());
        JsonNode b = monitor.viewer().get("/api/v1/runs/r2/job?node=count&sample=b").json();
        assertEquals("failed", b.get("job").get("state").asText());
        assertEquals("exit code 3", b.get("job").get("detail").asText());
        assertTrue(b.get("job").get("startedAt").asText().startsWith("1970-01-01T00:00:01.002"), b.toString());
        JsonNode snapshot = monitor.viewer().get("/api/v1/runs/r2/snapshot").json();
        assertEquals(2, snapshot.get("version").asInt());
        assertEquals(2, snapshot.get("jobs").size());
        assertEquals("counting", snapshot.get("network").get("id").asText());
    }

    @Test
    void the_report_gives_failures_their_command_exit_code_and_stderr_and_finishes_the_run() {
        HttpTestClient r = fresh().reporter();
        r.put("/api/v1/runs/r3", start("r3"));
        r.post("/api/v1/runs/r3/batches", batch(1, 0, job(1001, "count", "c", "running", null),
                job(1002, "count", "c", "failed", "exit code 3")));
        String report = """
                {"runId": "r3", "network": "counting", "end": "2026-01-01T00:00:05Z",
                 "failures": [{"node": "count", "sample": "c", "tool": "t", "error": "exit code 3", "command": "sh -c wc c.txt",
                               "exitCode": 3, "stderrTail": "it is bad", "folder": "file:///w/r3/count/c"}],
                 "missing": [{"node": "total", "sample": "", "reason": "job count/c failed"}],
                 "sinkProblems": [], "problems": []}
                """;
        HttpTestClient.Response last = r.post("/api/v1/runs/r3/batches",
                "{\"seq\": 2, \"dropped\": 0, \"events\": [], \"report\": " + report + "}");
        assertEquals(200, last.status(), last.toString());
        JsonNode c = monitor.viewer().get("/api/v1/runs/r3/job?node=count&sample=c").json();
        assertEquals("sh -c wc c.txt", c.get("command").asText());
        assertEquals(3, c.get("exitCode").asInt());
        assertEquals("it is bad", c.get("stderrTail").asText());
        assertEquals("file:///w/r3/count/c", c.get("folder").asText());
        JsonNode total = monitor.viewer().get("/api/v1/runs/r3/job?node=total&sample=").json();
        assertEquals("missing", total.get("job").get("state").asText(), "the report's missing jobs are recorded");
        JsonNode run = monitor.viewer().get("/api/v1/runs/r3").json().get("run");
        assertEquals("failed", run.get("status").asText());
        assertEquals("2026-01-01T00:00:05Z", run.get("finishedAt").asText());
        assertEquals("counting", monitor.viewer().get("/api/v1/runs/r3/report").json().get("network").asText());
    }

    @Test
    void bad_input_is_refused_with_the_field_named() {
        HttpTestClient r = fresh().reporter();
        HttpTestClient.Response noNetwork = r.put("/api/v1/runs/r4", "{\"name\": \"r4\"}");
        assertEquals(400, noNetwork.status(), noNetwork.toString());
        assertEquals("network", noNetwork.json().get("field").asText());
        HttpTestClient.Response badKey = r.put("/api/v1/runs/bad%20key", start("x"));
        assertEquals(400, badKey.status());
        assertEquals("key", badKey.json().get("field").asText());
        r.put("/api/v1/runs/r4", start("r4"));
        HttpTestClient.Response badSeq = r.post("/api/v1/runs/r4/batches", batch(0, 0));
        assertEquals(400, badSeq.status());
        assertEquals("seq", badSeq.json().get("field").asText());
        HttpTestClient.Response noSample = r.post("/api/v1/runs/r4/batches", "{\"seq\": 1, \"dropped\": 0, \"events\": "
                + "[{\"time\": 1, \"type\": \"job\", \"node\": \"count\", \"sample\": null, \"state\": \"running\", \"detail\": null}]}");
        assertEquals(400, noSample.status(), noSample.toString());
        assertEquals("events[0].sample", noSample.json().get("field").asText());
        HttpTestClient.Response unknown = r.post("/api/v1/runs/r4/batches", "{\"seq\": 1, \"dropped\": 0, \"events\": [], \"colour\": 1}");
        assertEquals(400, unknown.status());
        assertEquals("colour", unknown.json().get("field").asText());
        HttpTestClient.Response noRun = r.post("/api/v1/runs/nosuch/batches", batch(1, 0));
        assertEquals(404, noRun.status());
    }

    @Test
    void old_finished_runs_are_purged_and_running_ones_kept() {
        HttpTestClient r = fresh().reporter();
        r.put("/api/v1/runs/done", start("done"));
        r.post("/api/v1/runs/done/batches", batch(1, 0, "{\"time\": 5, \"type\": \"run-finished\", \"node\": null, "
                + "\"sample\": null, \"state\": \"succeeded\", \"detail\": null}"));
        r.put("/api/v1/runs/going", start("going"));
        HttpTestClient.Response purged = r.post("/api/v1/purge", "{\"olderThanDays\": 0}");
        assertEquals(200, purged.status(), purged.toString());
        assertEquals("[\"done\"]", purged.json().get("deleted").toString());
        assertEquals(404, monitor.viewer().get("/api/v1/runs/done").status());
        assertEquals(200, monitor.viewer().get("/api/v1/runs/going").status());
        assertEquals(204, r.delete("/api/v1/runs/going").status());
        assertEquals(0, monitor.viewer().get("/api/v1/runs").json().size());
    }
}
