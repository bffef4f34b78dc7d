package org.cohortflow.cli.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cohortflow.governance.GovernorFixture;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.cohortflow.tasks.testing.SharedData;
import org.cohortflow.tasks.testing.TasksFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study governor's {@code task} callback against the real task service, both as they run in production:
 * the task service by {@code cohortflow serve tasks --config FILE} in its own JVM, the governor in this one.
 * A workflow state creates a task; a reviewer completes it through the task service's REST API; the task
 * service calls the governor back with the callback's secret; the experiment moves on along the result.
 * Between those steps the task service is killed with {@code kill -9} twice (once with the task waiting for
 * a reviewer, once with the result waiting in its outbox while the governor is down) and the governor is
 * stopped and started again: one task is made, one result arrives, one transition fires.
 *
 * <p>The test lives in the cli module because the cli is the one module that depends on both services
 * (shared/DESIGN.md's table gives governance no edge to tasks, not even in test scope).
 */
class GovernorTasksIT {
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void a_task_created_by_the_governor_and_done_by_a_reviewer_moves_the_experiment_on_across_kill_9_of_the_task_service_on_h2() throws Exception {
        try (TestDatabase dbs = TestDatabase.h2()) {
            scenario(dbs);
        }
    }

    @Test
    void a_task_created_by_the_governor_and_done_by_a_reviewer_moves_the_experiment_on_across_kill_9_of_the_task_service_on_postgresql() throws Exception {
        try (TestDatabase dbs = TestDatabase.postgres()) {
            scenario(dbs);
        }
    }

    private void scenario(TestDatabase dbs) throws Exception {
        DatabaseSettings tasksDb = dbs.fresh();
        DatabaseSettings governorDb = dbs.fresh();
        Path tasksConfig = tasksConfig(tasksDb, ServiceProcess.freePort());
        int governorPort = ServiceProcess.freePort();
        List<ServiceProcess> started = new ArrayList<>();
        GovernorFixture governor = null;
        try {
            ServiceProcess tasks = serveTasks(tasksConfig, started);
            URI tasksBase = tasks.baseUri();
            HttpTestClient tasksAdmin = HttpTestClient.anonymous(tasksBase).withPassword("root", TasksFixture.ADMIN_PASSWORD);
            String governorToken = setUpTaskService(tasksAdmin);

            governor = startGovernor(governorDb, governorPort, governorToken);
            governor.studyWithWorkflow("sts", workflow(tasksBase));
            long experiment = experiment(governor);

            // The governor made the task (its images are the experiment's scans) and waits for it.
            GovernorFixture firstGovernor = governor;
            GovernorFixture.await(() -> tasksOf(tasksAdmin).size() == 1, WITHIN,
                    () -> "the governor made no task: " + callbacks(firstGovernor, experiment));
            JsonNode task = tasksOf(tasksAdmin).get(0);
            long taskId = task.path("id").asLong();
            assertEquals("p001", task.at("/content/subject").asText(), task.toString());
            assertEquals("baseline", task.at("/content/experiment").asText(), task.toString());
            GovernorFixture.await(() -> "waiting".equals(qc(firstGovernor, experiment).path("status").asText()), WITHIN,
                    () -> "the task callback is not waiting: " + callbacks(firstGovernor, experiment));

            // kill -9 with the task queued: it is still there, once, after the restart.
            tasks.kill9();
            tasks = serveTasks(tasksConfig, started);
            assertEquals(List.of(taskId), tasksOf(tasksAdmin).stream().map(t -> t.path("id").asLong()).toList());

            // The governor goes down; the reviewer does the task; the callback waits in the task service's outbox.
            governor.close();
            governor = null;
            HttpTestClient rita = HttpTestClient.anonymous(tasksBase).withPassword("rita", "rita-password");
            HttpTestClient.Response next = rita.post("/api/v1/next", "");
            assertEquals(200, next.status(), next.toString());
            assertEquals(taskId, next.json().path("id").asLong(), next.toString());
            HttpTestClient.Response result = rita.post("/api/v1/tasks/" + taskId + "/result", "{\"result\":{\"quality\":\"good\",\"slices_off\":1}}");
            assertEquals(200, result.status(), result.toString());
            GovernorFixture.await(() -> tasksAdmin.get("/api/v1/tasks/" + taskId + "/callback").json().path("attempts").asInt() >= 1,
                    WITHIN, () -> "the task service did not try its callback: " + tasksAdmin.get("/api/v1/tasks/" + taskId + "/callback").body());
            assertFalse(tasksAdmin.get("/api/v1/tasks/" + taskId + "/callback").json().path("delivered").asBoolean(),
                    "delivered to a governor that is down?");

            // kill -9 with the callback pending; the governor and the task service come back.
            tasks.kill9();
            governor = startGovernor(governorDb, governorPort, governorToken);
            serveTasks(tasksConfig, started);
            governor.awaitState(experiment, "accepted", WITHIN);

            JsonNode qc = qc(governor, experiment);
            assertEquals("success", qc.path("result").asText(), qc.toString());
            JsonNode output = new ObjectMapper().readTree(qc.path("output").asText()); // stored as JSON text
            assertEquals("good", output.path("quality").asText(), qc.toString());
            assertEquals("rita", output.path("finishedBy").asText(), qc.toString());
            assertEquals(taskId, output.path("task").asLong(), qc.toString());
            assertEquals(1, callbacks(governor, experiment).size(), "one callback execution: " + callbacks(governor, experiment));
            JsonNode actions = governor.viewer.get("/api/v1/experiments/" + experiment + "/actions").json();
            long toAccepted = count(actions, "accepted");
            assertEquals(1, toAccepted, "the transition fired once: " + actions);
            assertEquals(1, tasksOf(tasksAdmin).size(), "one task, never a second: " + tasksOf(tasksAdmin));
            GovernorFixture.await(() -> tasksAdmin.get("/api/v1/tasks/" + taskId + "/callback").json().path("delivered").asBoolean(),
                    WITHIN, () -> "the task service does not know it delivered: " + tasksAdmin.get("/api/v1/tasks/" + taskId + "/callback").body());
            String trail = tasksAdmin.get("/api/v1/audit?target=task/" + taskId).body();
            assertTrue(trail.contains("callback.failed") && trail.contains("callback.delivered"), trail);
        } finally {
            if (governor != null) {
                governor.close();
            }
            started.forEach(ServiceProcess::close);
        }
    }

    /** A project, the STS CT QC template, a reviewer, and a manager for the governor; returns that manager's token. */
    private static String setUpTaskService(HttpTestClient admin) throws Exception {
        expect(201, admin.post("/api/v1/projects", "{\"name\":\"sts\"}"));
        expect(201, admin.put("/api/v1/templates/sts-ct-qc", Files.readString(Path.of("../tasks/examples/sts-ct-qc.yaml"))));
        expect(201, admin.post("/api/v1/users", "{\"name\":\"rita\",\"password\":\"rita-password\",\"roles\":[\"viewer\"]}"));
        expect(200, admin.put("/api/v1/reviewers/rita", "{\"weight\":1}"));
        expect(201, admin.post("/api/v1/users", "{\"name\":\"governor\",\"password\":\"governor-password\",\"roles\":[\"manager\"]}"));
        HttpTestClient.Response token = admin.post("/api/v1/tokens", "{\"label\":\"governor\",\"user\":\"governor\"}");
        expect(201, token);
        return token.json().path("value").asText();
    }

    private static String workflow(URI tasks) {
        return """
                workflow: reviewed
                initial: review
                states:
                  review:
                    callbacks:
                      - name: qc
                        type: task
                        args: {url: "TASKS", project: sts, template: sts-ct-qc, tags: [governor]}
                        waitTimeout: 1h
                    transitions:
                      - to: accepted
                        condition: "callbacks.qc.result == 'success' && callbacks.qc.output.quality == 'good'"
                      - to: rejected
                  accepted: {final: true}
                  rejected: {final: true}
                """.replace("TASKS", tasks.toString());
    }

    /** An experiment whose scans, labelled as the template's images, are the shared STS CT and its mask. */
    private static long experiment(GovernorFixture g) {
        String scans = "[{\"label\":\"ct\",\"modality\":\"CT\",\"kind\":\"file\",\"url\":" + HttpTestClient.quote(SharedData.stsCt().toString())
                + "},{\"label\":\"mask\",\"modality\":\"SEG\",\"kind\":\"file\",\"url\":" + HttpTestClient.quote(SharedData.stsCtMask().toString()) + "}]";
        HttpTestClient.Response r = g.manager.post("/api/v1/experiments",
                "{\"study\":\"sts\",\"subject\":\"p001\",\"label\":\"baseline\",\"scans\":" + scans + "}");
        expect(201, r);
        return r.json().at("/experiment/id").asLong();
    }

    private GovernorFixture startGovernor(DatabaseSettings db, int port, String tasksToken) throws Exception {
        Path data = Files.createDirectories(dir.resolve("governor-data"));
        return new GovernorFixture(GovernorFixture.config(db, data, port).withSettings(Map.of("tasks", Map.of("token", tasksToken))));
    }

    private ServiceProcess serveTasks(Path config, List<ServiceProcess> started) throws Exception {
        ServiceProcess p = ServiceProcess.serve("tasks", config, dir.resolve("tasks-" + started.size() + ".log"));
        started.add(p);
        return p;
    }

    private Path tasksConfig(DatabaseSettings db, int port) throws Exception {
        Path data = Files.createDirectories(dir.resolve("tasks-data"));
        String yaml = "port: " + port + "\nhost: 127.0.0.1\ndata: " + data + "\n"
                + "database: {url: " + HttpTestClient.quote(db.url()) + ", user: " + HttpTestClient.quote(db.user())
                + ", password: " + HttpTestClient.quote(db.password()) + "}\n"
                + "admin: {name: root, password: " + TasksFixture.ADMIN_PASSWORD + "}\n"
                + "settings:\n  dataRoots: [" + HttpTestClient.quote(SharedData.root().toString()) + "]\n"
                + "  callbackFirstRetrySeconds: 1\n  callbackMaxRetrySeconds: 1\n  callbackPollMillis: 200\n";
        Path file = dir.resolve("tasks.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static List<JsonNode> tasksOf(HttpTestClient admin) {
        HttpTestClient.Response r = admin.get("/api/v1/tasks?project=sts");
        expect(200, r);
        List<JsonNode> out = new ArrayList<>();
        r.json().path("items").forEach(out::add);
        return out;
    }

    private static List<JsonNode> callbacks(GovernorFixture g, long experiment) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode j = g.viewer.get("/api/v1/experiments/" + experiment + "/callbacks").json();
        (j.isArray() ? j : j.path("items")).forEach(out::add);
        return out;
    }

    private static JsonNode qc(GovernorFixture g, long experiment) {
        return callbacks(g, experiment).stream().filter(c -> "qc".equals(c.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no callback 'qc': " + callbacks(g, experiment)));
    }

    private static long count(JsonNode actions, String to) {
        long n = 0;
        for (JsonNode a : actions.isArray() ? actions : actions.path("items")) {
            if (to.equals(a.path("to").asText())) n++;
        }
        return n;
    }

    private static void expect(int status, HttpTestClient.Response r) {
        assertEquals(status, r.status(), r.toString());
    }
}
