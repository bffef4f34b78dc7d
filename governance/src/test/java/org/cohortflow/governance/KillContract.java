package org.cohortflow.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.ServiceJvm;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * A governor in a child JVM is killed with {@code kill -9} while experiments are in the middle of
 * callbacks and transitions, then started again on the same database: every experiment finishes its
 * workflow, no transition fires twice, and no callback is lost.
 */
abstract class KillContract {
    private static final int EXPERIMENTS = 20;
    private final TestDatabase databases;

    KillContract(TestDatabase databases) {
        this.databases = databases;
    }

    @Test
    void a_governor_killed_with_kill_9_resumes_every_experiment_and_fires_no_transition_twice() throws Exception {
        try (TestDatabase dbs = databases; Receiver receiver = new Receiver()) {
            DatabaseSettings db = dbs.fresh();
            Path dir = Files.createTempDirectory("governor-kill-");
            int port = ServiceJvm.freePort();
            Path config = dir.resolve("governor.yaml");
            Files.writeString(config, "port: " + port + "\ndata: " + dir.resolve("data") + "\ndatabase: {url: \"" + db.url()
                    + "\", user: \"" + db.user() + "\", password: \"" + db.password() + "\"}\nadmin: {name: root, password: "
                    + GovernorFixture.ADMIN_PASSWORD + "}\n");
            ServiceJvm first = startChild(config, dir.resolve("first.log"));
            HttpTestClient admin = HttpTestClient.anonymous(java.net.URI.create("http://127.0.0.1:" + port))
                    .withPassword("root", GovernorFixture.ADMIN_PASSWORD);
            String r = receiver.url("");
            String workflow = """
                    workflow: chain
                    initial: s1
                    states:
                      s1:
                        callbacks: [{name: a, type: http, args: {url: "R/slow/120"}}]
                        transitions: [{to: s2, condition: "callbacks.a.result == 'success'"}, {to: failed}]
                      s2:
                        callbacks: [{name: b, type: http, args: {url: "R/accept", wait: true}, waitTimeout: 1h}]
                        transitions: [{to: s3, condition: "callbacks.b.result == 'success'"}, {to: failed}]
                      s3:
                        callbacks: [{name: c, type: http, args: {url: "R/slow/120"}}, {name: d, type: http, args: {url: "R/slow/60"}}]
                        transitions: [{to: s4, condition: "callbacks.c.result == 'success' && callbacks.d.result == 'success'"}, {to: failed}]
                      s4: {final: true}
                      failed: {final: true}
                    """.replace("R/", r + "/");
            assertEquals(201, admin.post("/api/v1/workflows", "{\"yaml\":" + HttpTestClient.quote(workflow) + "}").status());
            assertEquals(201, admin.post("/api/v1/studies", "{\"name\":\"k\",\"workflow\":\"chain\"}").status());
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < EXPERIMENTS; i++) {
                HttpTestClient.Response made = admin.post("/api/v1/experiments", "{\"study\":\"k\",\"subject\":\"s" + i + "\",\"label\":\"e" + i + "\"}");
                assertEquals(201, made.status(), made.toString());
                ids.add(made.json().at("/experiment/id").asLong());
            }
            // Answer half of the waiting callbacks while the first governor runs, so that some experiments are
            // in s3's callbacks when it dies.
            long c0 = System.nanoTime();
            answerWaiting(admin, receiver, ids.subList(0, EXPERIMENTS / 2), Duration.ofSeconds(20));
            System.out.println("first half answered after " + (System.nanoTime() - c0) / 1_000_000 + " ms");
            long t0 = System.nanoTime();
            // No pause: the answered experiments are now running s3's callbacks, the others wait in s2.
            first.kill9();

            ServiceJvm second = startChild(config, dir.resolve("second.log"));
            System.out.println("restarted after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            try {
                answerWaiting(admin, receiver, ids, Duration.ofSeconds(60));
                System.out.println("answered after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                GovernorFixture.await(() -> ids.stream().allMatch(id -> state(admin, id).equals("s4")), Duration.ofSeconds(60),
                        () -> "not all experiments reached s4: " + states(admin, ids) + "\nlog: " + tail(dir.resolve("second.log")));
                for (long id : ids) {
                    List<String> t = new ArrayList<>();
                    for (JsonNode a : admin.get("/api/v1/experiments/" + id + "/actions").json()) {
                        t.add(a.path("from").asText("") + "->" + a.get("to").asText());
                    }
                    assertEquals(List.of("->s1", "s1->s2", "s2->s3", "s3->s4"), t, "experiment " + id);
                    JsonNode cbs = admin.get("/api/v1/experiments/" + id + "/callbacks").json();
                    assertEquals(4, cbs.size(), cbs.toString());
                    for (JsonNode c : cbs) {
                        assertEquals("success", c.get("result").asText(), c.toString());
                    }
                }
                System.out.println("all done after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                System.out.println("webhook deliveries " + receiver.requests().size()
                        + " for " + (EXPERIMENTS * 4) + " callbacks");
                // At least once: an attempt cut off by the kill is sent again, with the same Idempotency-Key.
                assertTrue(receiver.requests().size() >= EXPERIMENTS * 4);
            } finally {
                second.kill9();
            }
        }
    }

    /** Answers, with their secrets, the s2 webhooks of the given experiments as they arrive. */
    private static void answerWaiting(HttpTestClient admin, Receiver receiver, List<Long> ids, Duration within) {
        Map<Long, Boolean> done = new HashMap<>();
        GovernorFixture.await(() -> {
            for (long id : ids) {
                if (done.containsKey(id)) {
                    continue;
                }
                JsonNode cbs;
                try {
                    cbs = admin.get("/api/v1/experiments/" + id + "/callbacks").json();
                } catch (RuntimeException e) {
                    return false; // the governor is not up yet
                }
                for (JsonNode c : cbs) {
                    if (c.get("name").asText().equals("b") && c.get("status").asText().equals("finished")) {
                        done.put(id, true);
                    }
                    if (c.get("name").asText().equals("b") && c.get("status").asText().equals("waiting")) {
                        long exec = c.get("id").asLong();
                        receiver.requests("/accept").stream().filter(q -> q.body().get("execution").asLong() == exec)
                                .reduce((a, b) -> b).ifPresent(q -> {
                                    String url = q.body().get("callbackUrl").asText();
                                    HttpTestClient.Response resp = admin.send("PUT", url.substring(url.indexOf("/api/")),
                                            "{\"result\":\"success\"}", "X-Cohortflow-Secret: " + q.secret());
                                    if (resp.status() == 200) {
                                        done.put(id, true);
                                    }
                                });
                    }
                }
            }
            return done.size() == ids.size();
        }, within, () -> "waiting callbacks not answered: " + states(admin, ids));
    }

    private static String state(HttpTestClient admin, long id) {
        try {
            return admin.get("/api/v1/experiments/" + id).json().get("state").asText();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static String states(HttpTestClient admin, List<Long> ids) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        ids.forEach(id -> counts.merge(state(admin, id), 1, Integer::sum));
        return counts.toString();
    }

    private static ServiceJvm startChild(Path config, Path log) throws IOException {
        return ServiceJvm.start("governor", List.of("-Xmx512m", ChildGovernor.class.getName(), config.toString()), "READY ",
                Duration.ofMinutes(2), log);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
