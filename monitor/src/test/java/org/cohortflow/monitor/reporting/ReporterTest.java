package org.cohortflow.monitor.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.executors.events.RunEvent;
import org.cohortflow.executors.monitor.MonitorReporter;
import org.cohortflow.executors.monitor.MonitorSettings;
import org.cohortflow.monitor.MonitorFixture;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run side's reporter against a real monitor, a monitor that is down and one that accepts connections
 * but never answers: events arrive in batches, a full buffer drops and counts, and the end of a run waits
 * for the monitor only a bounded time.
 */
class ReporterTest {
    static final Map<String, Object> NETWORK = Map.of("id", "n", "sources", List.of(), "nodes", List.of(Map.of("id", "a")),
            "sinks", List.of());

    @TempDir
    Path dir;

    private static List<RunEvent> events(int n) {
        List<RunEvent> out = new ArrayList<>();
        out.add(new RunEvent(1, "run-started", null, null, "local", null));
        out.add(new RunEvent(2, "planned", "a", null, Integer.toString(n), null));
        for (int i = 0; i < n; i++) {
            out.add(new RunEvent(10 + i, "job", "a", "s" + i, "running", null));
            out.add(new RunEvent(20 + i, "job", "a", "s" + i, "succeeded", null));
        }
        out.add(new RunEvent(100_000, "run-finished", null, null, "succeeded", null));
        return out;
    }

    @Test
    void events_reach_the_monitor_in_a_few_batches_and_the_run_is_finished() {
        try (TestDatabase dbs = TestDatabase.h2(); MonitorFixture m = MonitorFixture.start(dbs.fresh(), dir)) {
            // Delivery, not the bound on the wait, is what this test checks: a loaded CI machine needs more than 5 s.
            MonitorReporter r = new MonitorReporter(MonitorSettings.of(m.baseUri(), Optional.of(m.reporterToken()))
                    .withCloseWait(Duration.ofMinutes(3)), "k1", "run1", NETWORK, null);
            List<RunEvent> all = events(12_000);
            all.forEach(r);
            r.close();
            assertEquals(all.size(), r.delivered());
            assertEquals(null, r.problemSummary());
            JsonNode run = m.viewer().get("/api/v1/runs/k1").json();
            assertEquals(all.size(), run.get("run").get("events").asLong());
            assertEquals("succeeded", run.get("run").get("status").asText());
            assertEquals(12_000, run.get("nodes").get(0).get("done").asInt());
            long batches = m.service().kit().database().withHandle(h ->
                    h.createQuery("SELECT COUNT(*) FROM run_batch").mapTo(Long.class).one());
            assertTrue(batches >= 5 && batches <= 10, "24,003 events in batches of at most 5,000, not one request each: " + batches);
        }
    }

    @Test
    void a_full_buffer_drops_events_and_the_monitor_is_told_how_many() {
        try (TestDatabase dbs = TestDatabase.h2(); MonitorFixture m = MonitorFixture.start(dbs.fresh(), dir)) {
            MonitorSettings s = MonitorSettings.of(m.baseUri(), Optional.of(m.reporterToken())).withCapacity(10)
                    .withInterval(Duration.ofSeconds(30));
            MonitorReporter r = new MonitorReporter(s, "k2", "run2", NETWORK, null);
            List<RunEvent> all = events(20);
            all.forEach(r);
            r.close();
            assertEquals(all.size() - 10, r.dropped());
            assertTrue(r.problemSummary().contains("dropped, buffer full"), r.problemSummary());
            JsonNode run = m.viewer().get("/api/v1/runs/k2").json().get("run");
            assertEquals(10, run.get("events").asLong());
            assertEquals(all.size() - 10, run.get("dropped").asLong());
        }
    }

    @Test
    void a_monitor_that_never_answers_costs_the_end_of_the_run_a_bounded_wait() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            MonitorSettings s = MonitorSettings.of(URI.create("http://127.0.0.1:" + silent.getLocalPort()), Optional.empty())
                    .withInterval(Duration.ofMillis(100)).withCloseWait(Duration.ofSeconds(2));
            MonitorReporter r = new MonitorReporter(s, "k3", "run3", NETWORK, null);
            long t0 = System.nanoTime();
            events(50_000).forEach(r);
            long fed = System.nanoTime() - t0;
            r.close();
            Duration closing = Duration.ofNanos(System.nanoTime() - t0 - fed);
            assertEquals(0, r.delivered());
            assertTrue(r.problemSummary().contains("not delivered"), r.problemSummary());
            // Bounds, not speed: the close wait (2 s) plus the reporter's grace period, with room for a slow machine.
            assertTrue(closing.compareTo(Duration.ofSeconds(10)) < 0, "close took " + closing);
            for (Socket c : held) {
                c.close();
            }
        }
    }
}
