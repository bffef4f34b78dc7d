package org.cohortflow.tasks.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.cohortflow.tasks.testing.CallbackReceiver;
import org.cohortflow.tasks.testing.SharedData;
import org.cohortflow.tasks.testing.TasksFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callback outbox survives the service being killed with SIGKILL while the creator's endpoint is down:
 * the service runs in its own JVM, a result is submitted, delivery fails while the endpoint is down, the
 * process is killed (kill -9), the endpoint comes back, the service is started again on the same database
 * and delivers the callback, which the endpoint receives exactly once. On H2 and on a real PostgreSQL.
 */
class CallbackSurvivesKillIT {
    @TempDir
    Path dir;

    @Test
    void aCallbackPendingWhenTheServiceIsKilledIsDeliveredOnceAfterItsRestartOnH2() throws Exception {
        try (TestDatabase dbs = TestDatabase.h2()) {
            scenario(dbs.fresh());
        }
    }

    @Test
    void aCallbackPendingWhenTheServiceIsKilledIsDeliveredOnceAfterItsRestartOnPostgres() throws Exception {
        try (TestDatabase dbs = TestDatabase.postgres()) {
            scenario(dbs.fresh());
        }
    }

    private void scenario(DatabaseSettings db) throws Exception {
        int port = freePort();
        Path config = writeConfig(db, port);
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            String callbackUrl = receiver.url("/results");
            receiver.stop();
            Process first = serve(config, "first");
            long id;
            HttpTestClient admin;
            try {
                URI base = URI.create("http://127.0.0.1:" + port);
                admin = HttpTestClient.anonymous(base).withPassword("root", TasksFixture.ADMIN_PASSWORD);
                assertEquals(201, admin.post("/api/v1/projects", "{\"name\":\"sts\"}").status());
                assertEquals(201, admin.put("/api/v1/templates/sts-ct-qc", Files.readString(Path.of("examples/sts-ct-qc.yaml"))).status());
                assertEquals(201, admin.post("/api/v1/users", "{\"name\":\"ann\",\"password\":\"ann-password\",\"roles\":[\"viewer\"]}").status());
                assertEquals(200, admin.put("/api/v1/reviewers/ann", "{\"weight\":1}").status());
                HttpTestClient.Response created = admin.post("/api/v1/tasks", TasksFixture.stsTask("sts", "STS_001",
                        "\"callbackUrl\":" + HttpTestClient.quote(callbackUrl) + ",\"callbackSecret\":\"kill-9-secret\""));
                assertEquals(201, created.status(), created.toString());
                id = created.json().path("created").get(0).path("id").asLong();
                HttpTestClient ann = HttpTestClient.anonymous(base).withPassword("ann", "ann-password");
                assertEquals(200, ann.post("/api/v1/tasks/" + id + "/lock", "").status());
                assertEquals(200, ann.post("/api/v1/tasks/" + id + "/result", "{\"result\":{\"quality\":\"good\"}}").status());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (admin.get("/api/v1/tasks/" + id + "/callback").json().path("attempts").asInt() < 2) {
                    assertTrue(System.nanoTime() < deadline, "the callback was not attempted twice within 30 s");
                    Thread.sleep(200);
                }
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of the database
                first.waitFor(30, TimeUnit.SECONDS);
            }
            assertEquals(137, first.exitValue(), "killed by SIGKILL");
            assertEquals(0, receiver.deliveries().size());

            receiver.restart();
            Process second = serve(config, "second");
            try {
                CallbackReceiver.Delivery d = receiver.await(1, Duration.ofSeconds(30)).get(0);
                assertEquals("kill-9-secret", d.secret());
                assertTrue(d.body().contains("\"quality\":\"good\""), d.body());
                Thread.sleep(1500);
                assertEquals(1, receiver.deliveries().size(), "received exactly once: " + receiver.deliveries());
                JsonNode state = admin.get("/api/v1/tasks/" + id + "/callback").json();
                assertTrue(state.path("delivered").asBoolean(), state.toString());
                assertEquals("done", admin.get("/api/v1/tasks/" + id).json().path("status").asText());
                String trail = admin.get("/api/v1/audit?target=task/" + id).body();
                assertTrue(trail.contains("callback.failed") && trail.contains("callback.delivered") && trail.contains("task.submit"), trail);
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Path writeConfig(DatabaseSettings db, int port) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data-" + port));
        String yaml = "name: tasks\nhost: 127.0.0.1\nport: " + port + "\ndata: " + data + "\n"
                + "database: {url: " + HttpTestClient.quote(db.url()) + ", user: " + HttpTestClient.quote(db.user())
                + ", password: " + HttpTestClient.quote(db.password()) + "}\n"
                + "admin: {name: root, password: " + TasksFixture.ADMIN_PASSWORD + "}\n"
                + "settings:\n  dataRoots: [" + HttpTestClient.quote(SharedData.root().toString()) + "]\n"
                + "  callbackFirstRetrySeconds: 1\n  callbackMaxRetrySeconds: 1\n  callbackPollMillis: 200\n";
        Path file = dir.resolve("tasks-" + port + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Starts the service in a new JVM and waits until it says it is ready (its output goes to a log file). */
    private Process serve(Path config, String name) throws Exception {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.cohortflow.tasks.testing.ServeTasks", config.toString())
                .redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                    if (line.startsWith("ready ")) ready.complete(true);
                }
            } catch (IOException e) {
                // the process was killed
            }
            ready.complete(false);
        });
        pump.setDaemon(true);
        pump.start();
        boolean ok;
        try {
            ok = ready.get(90, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            ok = false;
        }
        if (!ok) {
            p.destroyForcibly();
            throw new AssertionError("the " + name + " service did not start: " + (Files.exists(log) ? Files.readString(log) : "no output"));
        }
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

}
