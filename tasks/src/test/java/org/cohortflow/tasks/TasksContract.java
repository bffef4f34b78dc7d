package org.cohortflow.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.cohortflow.tasks.testing.CallbackReceiver;
import org.cohortflow.tasks.testing.SharedData;
import org.cohortflow.tasks.testing.TasksFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task service over its REST API, written once and run on H2 and on a real PostgreSQL by the subclasses:
 * templates and their errors, task creation and its refusals (unknown template, images outside the data
 * roots), weighted assignment over 1,000 tasks, next, lock contention and expiry, results checked against the
 * form, skip, callbacks with their secret (retried while the endpoint is down, delivered once), task groups,
 * filters and paging, authentication and roles, and the audit trail of it all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TasksContract {
    private final TestDatabase databases;
    private TasksFixture f;
    private HttpTestClient admin;
    @TempDir
    Path data;

    TasksContract(TestDatabase databases) {
        this.databases = databases;
    }

    @BeforeEach
    void start() {
        f = TasksFixture.start(databases.fresh(), data, Map.of());
        admin = f.admin();
        f.project("sts");
        f.stsTemplate();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @AfterAll
    void closeDatabases() {
        databases.close();
    }

    @Test
    void aTemplateWithInvalidJsonSchemaIsRefusedWithLineAndColumnAndNothingIsStored() {
        String bad = "name: broken\nimages: [{key: ct, role: image}]\nform:\n  type: object\n  properties:\n"
                + "    grade: {type: integer, minimum: low}\n";
        HttpTestClient.Response r = admin.put("/api/v1/templates/broken", bad);
        assertEquals(400, r.status(), r.toString());
        assertTrue(r.json().path("error").asText().startsWith("request body:6:37: form.properties.grade.minimum: not valid JSON Schema"),
                r.toString());
        assertEquals("form.properties.grade.minimum", r.json().path("field").asText());
        assertEquals(404, admin.get("/api/v1/templates/broken").status());
    }

    @Test
    void aTemplateIsServedWithItsLayersPresetsAndFormAndItsUploadIsAudited() {
        JsonNode t = admin.get("/api/v1/templates/sts-ct-qc").json();
        assertEquals("multiplanar", t.path("layout").asText());
        assertEquals("overlay", t.path("images").get(1).path("role").asText());
        assertEquals(400, t.path("presets").get(0).path("window").asInt());
        assertEquals("string", t.path("form").path("properties").path("quality").path("type").asText());
        assertTrue(audit("template/sts-ct-qc").contains("template.put"));
    }

    @Test
    void aTaskNamingAnUnknownTemplateIsRefusedNamingTheField() {
        HttpTestClient.Response r = admin.post("/api/v1/tasks", TasksFixture.stsTask("sts", "STS_001", "").replace("sts-ct-qc", "nope"));
        assertEquals(400, r.status(), r.toString());
        assertEquals("template", r.json().path("field").asText());
        assertTrue(r.json().path("error").asText().contains("unknown template 'nope' (known: sts-ct-qc)"), r.toString());
        assertEquals(0, admin.get("/api/v1/tasks").json().path("total").asInt());
    }

    @Test
    void imagesOutsideTheDataRootsAreRefusedWhateverTheSpelling() throws IOException {
        Path outside = Files.createTempFile("outside", ".nii.gz");
        Path link = Files.createSymbolicLink(data.resolve("link.nii.gz"), outside);
        String ct = SharedData.stsCt().toString();
        for (String url : List.of("/etc/passwd", "file:///etc/passwd", SharedData.root() + "/../../../../etc/passwd",
                "file://" + SharedData.root() + "/../../../../etc/passwd", link.toString(), "relative/CT.nii.gz",
                "ftp://example.org/ct.nii.gz", outside.toString())) {
            String body = TasksFixture.stsTask("sts", "STS_001", "").replace(HttpTestClient.quote(SharedData.stsCt().toUri().toString()),
                    HttpTestClient.quote(url));
            HttpTestClient.Response r = admin.post("/api/v1/tasks", body);
            assertEquals(400, r.status(), url + " -> " + r);
            assertEquals("content.images.ct", r.json().path("field").asText(), url + " -> " + r);
        }
        assertTrue(ct.startsWith(SharedData.root().toString()));
        Files.delete(link);
        Files.delete(outside);
    }

    @Test
    void aTasksImageIsServedByKeyAndNoOtherPathIsReachable() throws Exception {
        long id = f.createTask(TasksFixture.stsTask("sts", "STS_001", ""));
        HttpTestClient viewer = f.user("vera", "viewer");
        JsonNode task = viewer.get("/api/v1/tasks/" + id).json();
        assertEquals("/api/v1/tasks/" + id + "/images/mask/CT_mask.nii.gz", task.path("imageLinks").path("mask").asText());
        byte[] served = bytes("vera", task.path("imageLinks").path("mask").asText());
        assertArrayEquals(Files.readAllBytes(SharedData.stsCtMask()), served);
        for (String path : List.of("/api/v1/tasks/" + id + "/images/..%2F..%2F..%2Fetc%2Fpasswd/x",
                "/api/v1/tasks/" + id + "/images/passwd/passwd", "/api/v1/tasks/" + id + "/images/../../../../etc/passwd")) {
            HttpTestClient.Response r = viewer.get(path);
            assertTrue(r.status() == 404 || r.status() == 400, path + " -> " + r);
            assertTrue(!r.body().contains("root:"), path + " leaked " + r.body());
        }
        assertEquals(401, f.anonymous().get(task.path("imageLinks").path("ct").asText()).status());
    }

    @Test
    void anImageGivenByHttpUrlIsFetchedByTheServiceForTheViewer() throws Exception {
        byte[] mask = Files.readAllBytes(SharedData.stsCtMask());
        com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/pipeline-out/STS_001/mask.nii.gz", ex -> {
            ex.sendResponseHeaders(200, mask.length);
            ex.getResponseBody().write(mask);
            ex.close();
        });
        web.start();
        try {
            String url = "http://127.0.0.1:" + web.getAddress().getPort() + "/pipeline-out/STS_001/mask.nii.gz";
            long id = f.createTask(TasksFixture.stsTask("sts", "STS_001", "").replace(
                    HttpTestClient.quote(SharedData.stsCtMask().toString()), HttpTestClient.quote(url)));
            f.user("vera", "viewer");
            JsonNode task = f.admin().get("/api/v1/tasks/" + id).json();
            assertEquals("/api/v1/tasks/" + id + "/images/mask/mask.nii.gz", task.path("imageLinks").path("mask").asText());
            assertArrayEquals(mask, bytes("vera", task.path("imageLinks").path("mask").asText()));
        } finally {
            web.stop(0);
        }
    }

    @Test
    void aGovernorStyleCreationTakesImagesFromScansAndRepeatedWithItsIdempotencyKeyReturnsTheFirstTasks() {
        f.reviewer("ann", 1);
        // the study governor's shape: fixedUser / fixedGroup, extra content members, an Idempotency-Key
        // the images come as the experiment's scans, labelled with the template's image keys
        String scans = "[{\"label\":\"ct\",\"modality\":\"CT\",\"url\":" + HttpTestClient.quote(SharedData.stsCt().toString())
                + "},{\"label\":\"mask\",\"url\":" + HttpTestClient.quote(SharedData.stsCtMask().toString()) + "}]";
        String body = "{\"project\":\"sts\",\"template\":\"sts-ct-qc\",\"content\":{\"subject\":\"STS_001\","
                + "\"experiment\":\"CT\",\"study\":\"sts\",\"scans\":" + scans + "},\"tags\":[],"
                + "\"fixedUser\":\"ann\",\"fixedGroup\":null,\"taskGroup\":null,\"callbackUrl\":\"http://127.0.0.1:9/cb\","
                + "\"callbackSecret\":\"governor-secret\"}";
        HttpTestClient.Response first = admin.send("POST", "/api/v1/tasks", body, "Idempotency-Key: governor-callback-17");
        assertEquals(201, first.status(), first.toString());
        HttpTestClient.Response again = admin.send("POST", "/api/v1/tasks", body, "Idempotency-Key: governor-callback-17");
        assertEquals(200, again.status(), again.toString());
        assertEquals(first.json().path("id").asLong(), again.json().path("id").asLong());
        assertEquals("ann", again.json().path("created").get(0).path("user").asText());
        assertEquals("/api/v1/tasks/" + first.json().path("id").asLong() + "/images/mask/CT_mask.nii.gz",
                again.json().path("created").get(0).path("imageLinks").path("mask").asText());
        assertEquals(1, admin.get("/api/v1/tasks").json().path("total").asInt());
        assertEquals(201, admin.send("POST", "/api/v1/tasks", body, "Idempotency-Key: governor-callback-18").status());
        assertEquals(2, admin.get("/api/v1/tasks").json().path("total").asInt());
    }

    @Test
    void aManagerReassignsAnOpenTaskAndFailsAnotherWhoseCallbackSaysFailed() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            HttpTestClient ann = f.reviewer("ann", 1);
            HttpTestClient bob = f.reviewer("bob", 1);
            long id = f.createTask(TasksFixture.stsTask("sts", "STS_001", "\"user\":\"ann\""));
            HttpTestClient.Response notFor = admin.put("/api/v1/tasks/" + id + "/assignee", "{\"user\":\"bob\"}");
            assertEquals(400, notFor.status(), "a task fixed to ann cannot go to bob: " + notFor);
            long open = f.createTask(TasksFixture.stsTask("sts", "STS_002", "\"callbackUrl\":"
                    + HttpTestClient.quote(receiver.url("/done")) + ",\"callbackSecret\":\"s3cret-s3cret\""));
            String first = admin.get("/api/v1/tasks/" + open).json().path("assignee").asText();
            String other = first.equals("ann") ? "bob" : "ann";
            assertEquals(other, admin.put("/api/v1/tasks/" + open + "/assignee", "{\"user\":\"" + other + "\"}")
                    .json().path("assignee").asText());
            assertEquals(403, (other.equals("ann") ? bob : ann).put("/api/v1/tasks/" + open + "/assignee", "{\"user\":null}").status());
            (other.equals("ann") ? ann : bob).post("/api/v1/tasks/" + open + "/lock", "");
            assertEquals(409, admin.put("/api/v1/tasks/" + open + "/assignee", "{\"user\":null}").status());
            assertEquals(400, admin.post("/api/v1/tasks/" + open + "/fail", "{\"reason\":\"\"}").status());
            HttpTestClient.Response failed = admin.post("/api/v1/tasks/" + open + "/fail", "{\"reason\":\"CT truncated\"}");
            assertEquals("failed", failed.json().path("status").asText(), failed.toString());
            JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(receiver.await(1, Duration.ofSeconds(20)).get(0).body());
            assertEquals("failed", body.path("status").asText());
            assertEquals("CT truncated", body.path("skipReason").asText());
            assertEquals(409, admin.post("/api/v1/tasks/" + open + "/fail", "{\"reason\":\"again\"}").status());
            String trail = audit("task/" + open);
            assertTrue(trail.contains("task.assign") && trail.contains("task.fail"), trail);
        }
    }

    @Test
    void aThousandTasksAreSplitByWeightOverThreeReviewers() {
        f.reviewer("ann", 1);
        f.reviewer("bob", 2);
        f.reviewer("cas", 1);
        String body = TasksFixture.stsTask("sts", "S", "");
        for (int i = 0; i < 1000; i++) f.createTask(body);
        Map<String, Integer> load = new HashMap<>();
        for (String user : List.of("ann", "bob", "cas")) {
            load.put(user, admin.get("/api/v1/tasks?user=" + user + "&size=1").json().path("total").asInt());
        }
        // weights 1:2:1 over 1,000 tasks -> 250 / 500 / 250, tolerance 2 % of all tasks (20)
        assertEquals(250, load.get("ann"), 20, load.toString());
        assertEquals(500, load.get("bob"), 20, load.toString());
        assertEquals(250, load.get("cas"), 20, load.toString());
        assertEquals(1000, load.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void nextGivesMyOldestTaskLockedAndThenTheSameOneUntilIFinishIt() {
        HttpTestClient ann = f.reviewer("ann", 1);
        long first = f.createTask(TasksFixture.stsTask("sts", "STS_001", ""));
        long second = f.createTask(TasksFixture.stsTask("sts", "STS_002", ""));
        JsonNode next = ann.post("/api/v1/next", "").json();
        assertEquals(first, next.path("id").asLong());
        assertEquals("in_progress", next.path("status").asText());
        assertEquals("ann", next.path("lock").path("holder").asText());
        assertEquals(first, ann.post("/api/v1/next", "").json().path("id").asLong());
        assertEquals(200, ann.post("/api/v1/tasks/" + first + "/result", "{\"result\":{\"quality\":\"good\"}}").status());
        assertEquals(second, ann.post("/api/v1/next", "").json().path("id").asLong());
        assertEquals(200, ann.post("/api/v1/tasks/" + second + "/skip", "{\"reason\":\"wrong scan\"}").status());
        assertEquals(204, ann.post("/api/v1/next", "").status());
    }

    @Test
    void aSecondUserGets409WhileTheLockHoldsAndMayNotSubmit() {
        // created before any reviewer exists, the task waits in the open pool for whoever takes it
        long id = f.createTask(TasksFixture.stsTask("sts", "STS_001", ""));
        HttpTestClient ann = f.reviewer("ann", 1);
        HttpTestClient bob = f.reviewer("bob", 1);
        assertTrue(admin.get("/api/v1/tasks/" + id).json().path("assignee").isNull());
        assertEquals(200, ann.post("/api/v1/tasks/" + id + "/lock", "").status());
        HttpTestClient.Response taken = bob.post("/api/v1/tasks/" + id + "/lock", "");
        assertEquals(409, taken.status(), taken.toString());
        assertTrue(taken.json().path("error").asText().contains("locked by ann"), taken.toString());
        HttpTestClient.Response submit = bob.post("/api/v1/tasks/" + id + "/result", "{\"result\":{\"quality\":\"good\"}}");
        assertEquals(409, submit.status(), submit.toString());
        assertEquals(403, bob.delete("/api/v1/tasks/" + id + "/lock").status());
        assertEquals(200, ann.delete("/api/v1/tasks/" + id + "/lock").status());
        assertEquals("queued", admin.get("/api/v1/tasks/" + id).json().path("status").asText());
        // ann took it from the pool, so it is hers now: bob may not lock it, and ann may again
        assertEquals(403, bob.post("/api/v1/tasks/" + id + "/lock", "").status());
        assertEquals(200, ann.post("/api/v1/tasks/" + id + "/lock", "").status());
        String trail = audit("task/" + id);
        assertTrue(trail.contains("task.lock") && trail.contains("task.unlock"), trail);
    }

    @Test
    void aLockExpiresAndItsHolderMayThenNoLongerSubmit() throws Exception {
        try (TasksFixture quick = TasksFixture.start(databases.fresh(), Files.createTempDirectory(data, "quick"),
                Map.of("lockSeconds", "3"))) {
            quick.project("p");
            quick.stsTemplate();
            long id = quick.createTask(TasksFixture.stsTask("p", "STS_001", ""));
            HttpTestClient ann = quick.reviewer("ann", 1);
            HttpTestClient bob = quick.reviewer("bob", 1);
            assertEquals(200, ann.post("/api/v1/tasks/" + id + "/lock", "").status());
            assertEquals(409, bob.post("/api/v1/tasks/" + id + "/lock", "").status());
            // Waits for the expiry rather than for a time: a loaded machine may answer slowly.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            String status;
            while (!(status = quick.admin().get("/api/v1/tasks/" + id).json().path("status").asText()).equals("queued")
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals("queued", status, "the lock did not expire");
            HttpTestClient.Response late = ann.post("/api/v1/tasks/" + id + "/result", "{\"result\":{\"quality\":\"good\"}}");
            assertEquals(409, late.status(), late.toString());
            assertTrue(late.json().path("error").asText().contains("expired"), late.toString());
            assertEquals(200, ann.post("/api/v1/tasks/" + id + "/lock", "").status(), "the holder takes it again");
        }
    }

    @Test
    void fourReviewersPullingConcurrentlyFinishEveryOpenPoolTaskExactlyOnce() throws Exception {
        // created before the reviewers exist, so all 40 are in the open pool and the four compete for each
        for (int i = 0; i < 40; i++) f.createTask(TasksFixture.stsTask("sts", "S" + i, ""));
        List<String> names = List.of("ann", "bob", "cas", "dan");
        Map<String, HttpTestClient> clients = new HashMap<>();
        for (String n : names) clients.put(n, f.reviewer(n, 1));
        java.util.concurrent.ConcurrentLinkedQueue<String> problems = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.ConcurrentHashMap<Long, String> doneBy = new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (String n : names) {
            Thread worker = new Thread(() -> {
                HttpTestClient c = clients.get(n);
                while (true) {
                    HttpTestClient.Response next = c.post("/api/v1/next", "");
                    if (next.status() == 204) return;
                    if (next.status() != 200) {
                        problems.add(n + " next: " + next);
                        return;
                    }
                    long id = next.json().path("id").asLong();
                    HttpTestClient.Response r = c.post("/api/v1/tasks/" + id + "/result", "{\"result\":{\"quality\":\"good\"}}");
                    if (r.status() != 200) problems.add(n + " result " + id + ": " + r);
                    else if (doneBy.putIfAbsent(id, n) != null) problems.add("task " + id + " finished twice");
                }
            });
            worker.start();
            threads.add(worker);
        }
        for (Thread t : threads) t.join(120_000);
        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals(40, doneBy.size());
        assertEquals(40, admin.get("/api/v1/tasks?status=done").json().path("total").asInt());
    }

    @Test
    void doubleReadingGoesToDifferentReviewersAndNobodyReadsTwice() {
        HttpTestClient ann = f.reviewer("ann", 1);
        HttpTestClient bob = f.reviewer("bob", 1);
        List<JsonNode> pair = f.createTasks(TasksFixture.stsTask("sts", "STS_001", "\"readers\":2"));
        assertEquals(2, pair.size());
        assertEquals(pair.get(0).path("readingSet").asLong(), pair.get(1).path("readingSet").asLong());
        assertTrue(!pair.get(0).path("assignee").asText().equals(pair.get(1).path("assignee").asText()), pair.toString());
        long annTask = ann.post("/api/v1/next", "").json().path("id").asLong();
        long bobTask = bob.post("/api/v1/next", "").json().path("id").asLong();
        assertTrue(annTask != bobTask);
        long other = annTask == pair.get(0).path("id").asLong() ? pair.get(1).path("id").asLong() : pair.get(0).path("id").asLong();
        assertEquals(200, bob.delete("/api/v1/tasks/" + bobTask + "/lock").status());
        HttpTestClient.Response second = ann.post("/api/v1/tasks/" + other + "/lock", "");
        assertEquals(403, second.status(), second.toString());
    }

    @Test
    void aResultTheFormRefusesIsKeptAsDraftAnswered422WithTheFieldAndAudited() {
        HttpTestClient ann = f.reviewer("ann", 1);
        long id = f.createTask(TasksFixture.stsTask("sts", "STS_001", ""));
        ann.post("/api/v1/tasks/" + id + "/lock", "");
        HttpTestClient.Response r = ann.post("/api/v1/tasks/" + id + "/result", "{\"result\":{\"quality\":\"superb\",\"comment\":\"x\"}}");
        assertEquals(422, r.status(), r.toString());
        assertEquals("result.quality", r.json().path("field").asText());
        JsonNode task = ann.get("/api/v1/tasks/" + id).json();
        assertEquals("in_progress", task.path("status").asText());
        assertEquals("superb", task.path("draft").path("quality").asText());
        assertTrue(audit("task/" + id).contains("task.result.refused"));
        HttpTestClient.Response missing = ann.post("/api/v1/tasks/" + id + "/result", "{\"result\":{\"comment\":\"x\"}}");
        assertEquals("result.quality", missing.json().path("field").asText(), missing.toString());
        HttpTestClient.Response noReason = ann.post("/api/v1/tasks/" + id + "/skip", "{\"reason\":\" \"}");
        assertEquals(400, noReason.status());
        assertEquals("reason", noReason.json().path("field").asText());
    }

    @Test
    void aSubmittedResultIsPutToTheCallbackWithItsSecretExactlyOnce() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            HttpTestClient ann = f.reviewer("ann", 1);
            long id = f.createTask(TasksFixture.stsTask("sts", "STS_001", "\"tags\":[\"qc\"],\"callbackUrl\":"
                    + HttpTestClient.quote(receiver.url("/done")) + ",\"callbackSecret\":\"s3cret-s3cret\""));
            assertTrue(ann.get("/api/v1/tasks/" + id).body().indexOf("s3cret") < 0, "the secret is never shown");
            ann.post("/api/v1/tasks/" + id + "/lock", "");
            assertEquals(200, ann.post("/api/v1/tasks/" + id + "/result", "{\"result\":{\"quality\":\"poor\",\"slices_off\":3}}").status());
            CallbackReceiver.Delivery d = receiver.await(1, Duration.ofSeconds(20)).get(0);
            assertEquals("PUT", d.method());
            assertEquals("s3cret-s3cret", d.secret());
            JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(d.body());
            assertEquals(id, body.path("task").asLong());
            assertEquals("done", body.path("status").asText());
            assertEquals("poor", body.path("result").path("quality").asText());
            assertEquals("STS_001", body.path("subject").asText());
            assertEquals("ann", body.path("finishedBy").asText());
            Thread.sleep(1000);
            assertEquals(1, receiver.deliveries().size(), receiver.deliveries().toString());
            JsonNode state = admin.get("/api/v1/tasks/" + id + "/callback").json();
            assertTrue(state.path("delivered").asBoolean(), state.toString());
            assertTrue(audit("task/" + id).contains("callback.delivered"));
        }
    }

    @Test
    void aFileAttachedByTheLockHolderIsStoredAuditedAndLinkedFromTheCallback() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            long id = f.createTask(TasksFixture.stsTask("sts", "STS_001", "\"callbackUrl\":"
                    + HttpTestClient.quote(receiver.url("/done")) + ",\"callbackSecret\":\"s3cret-s3cret\""));
            HttpTestClient ann = f.reviewer("ann", 1);
            HttpTestClient bob = f.reviewer("bob", 1);
            ann.post("/api/v1/tasks/" + id + "/lock", "");
            byte[] content = Files.readAllBytes(SharedData.stsCtMask());
            assertEquals(200, put(f.token("ann"), "/api/v1/tasks/" + id + "/files/corrected-mask.nii.gz", content));
            assertEquals(409, put(f.token("bob"), "/api/v1/tasks/" + id + "/files/corrected-mask.nii.gz", content));
            assertEquals(400, put(f.token("ann"), "/api/v1/tasks/" + id + "/files/.hidden", content));
            assertArrayEquals(content, bytes("bob", "/api/v1/tasks/" + id + "/files/corrected-mask.nii.gz"));
            assertEquals(404, bob.get("/api/v1/tasks/" + id + "/files/other.nii.gz").status());
            ann.post("/api/v1/tasks/" + id + "/result", "{\"result\":{\"quality\":\"poor\"}}");
            JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(receiver.await(1, Duration.ofSeconds(20)).get(0).body());
            assertEquals(f.service().baseUri() + "/api/v1/tasks/" + id + "/files/corrected-mask.nii.gz",
                    body.path("files").path("corrected-mask.nii.gz").asText());
            assertTrue(audit("task/" + id).contains("task.file"));
        }
    }

    @Test
    void aCallbackToAnEndpointThatIsDownIsRetriedUntilAcknowledgedAndTheResultIsKept() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            receiver.answer(503);
            HttpTestClient ann = f.reviewer("ann", 1);
            long id = f.createTask(TasksFixture.stsTask("sts", "STS_001", "\"callbackUrl\":"
                    + HttpTestClient.quote(receiver.url("/done")) + ",\"callbackSecret\":\"s3cret-s3cret\""));
            ann.post("/api/v1/tasks/" + id + "/lock", "");
            ann.post("/api/v1/tasks/" + id + "/result", "{\"result\":{\"quality\":\"good\"}}");
            receiver.await(3, Duration.ofSeconds(20));
            JsonNode state = admin.get("/api/v1/tasks/" + id + "/callback").json();
            // the third attempt reached the receiver; its failure may not be written down yet
            assertTrue(!state.path("delivered").asBoolean() && state.path("attempts").asInt() >= 2, state.toString());
            assertEquals("HTTP 503", state.path("lastError").asText());
            assertEquals("done", admin.get("/api/v1/tasks/" + id).json().path("status").asText());
            assertTrue(audit("task/" + id).contains("callback.failed"));
            int before = receiver.deliveries().size();
            receiver.answer(200);
            receiver.await(before + 1, Duration.ofSeconds(20));
            Thread.sleep(1000);
            assertEquals(before + 1, receiver.deliveries().size(), "nothing is sent after the acknowledgement");
            assertEquals(1, receiver.deliveries().stream().map(CallbackReceiver.Delivery::key).distinct().count(),
                    "every attempt carries the same idempotency key");
        }
    }

    @Test
    void aTaskGroupCallsBackOnceAllItsTasksAreFinished() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            HttpTestClient ann = f.reviewer("ann", 1);
            JsonNode group = admin.post("/api/v1/task-groups", "{\"name\":\"batch 1\",\"project\":\"sts\",\"callbackUrl\":"
                    + HttpTestClient.quote(receiver.url("/group")) + ",\"callbackSecret\":\"group-secret\"}").json();
            long g = group.path("id").asLong();
            long a = f.createTask(TasksFixture.stsTask("sts", "STS_001", "\"taskGroup\":" + g));
            long b = f.createTask(TasksFixture.stsTask("sts", "STS_002", "\"taskGroup\":" + g));
            ann.post("/api/v1/tasks/" + a + "/lock", "");
            ann.post("/api/v1/tasks/" + a + "/result", "{\"result\":{\"quality\":\"good\"}}");
            Thread.sleep(800);
            assertEquals(0, receiver.deliveries().size(), "no group callback while a task is open");
            ann.post("/api/v1/tasks/" + b + "/lock", "");
            ann.post("/api/v1/tasks/" + b + "/skip", "{\"reason\":\"motion\"}");
            CallbackReceiver.Delivery d = receiver.await(1, Duration.ofSeconds(20)).get(0);
            assertEquals("group-secret", d.secret());
            JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(d.body());
            assertEquals(2, body.path("tasks").size());
            assertEquals("skipped", body.path("tasks").get(1).path("status").asText());
            assertEquals("motion", body.path("tasks").get(1).path("skipReason").asText());
        }
    }

    @Test
    void tasksAreFilteredByProjectTemplateStatusUserAndTagAndPaged() {
        HttpTestClient ann = f.reviewer("ann", 1);
        f.project("other");
        for (int i = 0; i < 5; i++) f.createTask(TasksFixture.stsTask("sts", "S" + i, "\"tags\":[\"batch-a\"]"));
        for (int i = 0; i < 3; i++) f.createTask(TasksFixture.stsTask("other", "O" + i, "\"tags\":[\"batch-b\"]"));
        long first = ann.post("/api/v1/next", "").json().path("id").asLong();
        assertEquals(5, admin.get("/api/v1/tasks?project=sts").json().path("total").asInt());
        assertEquals(3, admin.get("/api/v1/tasks?tag=batch-b").json().path("total").asInt());
        assertEquals(8, admin.get("/api/v1/tasks?template=sts-ct-qc").json().path("total").asInt());
        JsonNode inProgress = admin.get("/api/v1/tasks?status=in_progress").json();
        assertEquals(1, inProgress.path("total").asInt());
        assertEquals(first, inProgress.path("items").get(0).path("id").asLong());
        assertEquals(7, admin.get("/api/v1/tasks?status=queued").json().path("total").asInt());
        assertEquals(8, ann.get("/api/v1/tasks?user=me").json().path("total").asInt());
        JsonNode page = admin.get("/api/v1/tasks?project=sts&size=2&page=2").json();
        assertEquals(1, page.path("items").size());
        assertEquals("S4", page.path("items").get(0).path("content").path("subject").asText());
        HttpTestClient.Response bad = admin.get("/api/v1/tasks?status=lost");
        assertEquals(400, bad.status());
        assertEquals("status", bad.json().path("field").asText());
    }

    @Test
    void everyMutationNeedsAnAuthenticatedCallerWithTheRightRole() {
        HttpTestClient viewer = f.user("vera", "viewer");
        String task = TasksFixture.stsTask("sts", "STS_001", "");
        assertEquals(401, f.anonymous().post("/api/v1/tasks", task).status());
        assertEquals(403, viewer.post("/api/v1/tasks", task).status());
        assertEquals(403, viewer.put("/api/v1/reviewers/vera", "{}").status());
        assertEquals(403, viewer.post("/api/v1/projects", "{\"name\":\"x\"}").status());
        HttpTestClient.Response notReviewer = viewer.post("/api/v1/next", "");
        assertEquals(403, notReviewer.status());
        assertTrue(notReviewer.json().path("error").asText().contains("not a reviewer"), notReviewer.toString());
        assertEquals(401, f.anonymous().post("/api/v1/next", "").status());
        HttpTestClient.Response unknownField = admin.post("/api/v1/tasks", task.replace("{\"project\"", "{\"colour\":\"red\",\"project\""));
        assertEquals(400, unknownField.status(), unknownField.toString());
        assertEquals("colour", unknownField.json().path("field").asText());
        JsonNode openapi = f.anonymous().get("/openapi.json").json();
        assertTrue(openapi.path("paths").has("/api/v1/tasks/{id}/lock"), "the API is documented");
    }

    private String audit(String target) {
        HttpTestClient.Response r = admin.get("/api/v1/audit?target=" + target);
        assertEquals(200, r.status(), r.toString());
        return r.body();
    }

    private int put(String token, String path, byte[] content) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(f.service().baseUri().resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private byte[] bytes(String user, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(f.service().baseUri().resolve(path))
                .header("Authorization", "Bearer " + f.token(user)).build();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }
}
