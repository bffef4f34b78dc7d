package org.cohortflow.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The governor's behaviour through its REST API, written once and run on H2 and on PostgreSQL: the
 * engine on workflows with branches, retries and timeouts; webhooks answered later with their secret;
 * tasks; manual transitions; typed variables; bad input; and authorisation of every mutating endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GovernorContract {
    private final TestDatabase databases;
    private Receiver receiver;
    private GovernorFixture gov;
    private Path exports;

    GovernorContract(TestDatabase databases) {
        this.databases = databases;
    }

    @BeforeAll
    void start() throws Exception {
        receiver = new Receiver();
        gov = new GovernorFixture(databases.fresh(), Files.createTempDirectory("governor-"));
        exports = Files.createTempDirectory("governor-exports-");
        String r = receiver.url("");
        gov.studyWithWorkflow("exported", """
                workflow: exporting
                initial: collect
                variables: {score: double, note: string}
                states:
                  collect:
                    callbacks:
                      - {name: csv, type: export, args: {folder: "F", format: csv}}
                      - {name: parquet, type: export, args: {folder: "F", format: parquet, variable: table}}
                    transitions:
                      - {to: exported, condition: "callbacks.csv.result == 'success' && callbacks.parquet.result == 'success'"}
                      - {to: failed}
                  exported: {final: true}
                  failed: {final: true}
                """.replace("F", exports.toString()));
        gov.studyWithWorkflow("branching", """
                workflow: branches
                initial: received
                variables:
                  age: int
                states:
                  received:
                    callbacks:
                      - {name: score, type: http, args: {url: "R/score"}}
                    transitions:
                      - to: accepted
                        condition: "callbacks.score.result == 'success' && callbacks.score.output.score >= 5"
                      - to: review
                        condition: "callbacks.score.result == 'success'"
                      - to: failed
                  review:
                    callbacks:
                      - {name: flaky, type: http, args: {url: "R/flaky/2"}, retries: 2, retryDelay: 100ms}
                    transitions:
                      - to: elderly
                        condition: "vars.age > 60"
                      - to: accepted
                        condition: "callbacks.flaky.result == 'success' && callbacks.flaky.attempts == 3"
                      - to: failed
                  accepted:
                    final: true
                    transitions: [{to: review, manual: true}]
                  elderly: {final: true}
                  failed: {final: true}
                """.replace("R/", r + "/"));
        gov.studyWithWorkflow("waiting", """
                workflow: timeouts
                initial: waiting
                states:
                  waiting:
                    callbacks:
                      - {name: hook, type: http, args: {url: "R/accept", wait: true}, waitTimeout: 1500ms}
                    transitions:
                      - to: answered
                        condition: "callbacks.hook.result == 'success'"
                      - to: rejected
                        condition: "callbacks.hook.result == 'failed'"
                      - to: timed_out
                  answered: {final: true}
                  rejected: {final: true}
                  timed_out: {final: true}
                """.replace("R/", r + "/"));
        gov.studyWithWorkflow("held", """
                workflow: held
                initial: waiting
                states:
                  waiting:
                    callbacks:
                      - {name: hook, type: http, args: {url: "R/accept", wait: true}, waitTimeout: 1h}
                    transitions:
                      - to: answered
                        condition: "callbacks.hook.result == 'success'"
                      - to: timed_out
                  answered: {final: true}
                  timed_out: {final: true}
                """.replace("R/", r + "/"));
        gov.studyWithWorkflow("slow", """
                workflow: slow
                initial: running
                states:
                  running:
                    callbacks:
                      - {name: slow, type: http, args: {url: "R/slow/4000"}, runTimeout: 500ms}
                      - {name: dead, type: http, args: {url: "http://127.0.0.1:1/"}, retries: 1, retryDelay: 100ms}
                    transitions:
                      - to: done
                        condition: "callbacks.slow.result == 'success'"
                      - to: broken
                  done: {final: true}
                  broken: {final: true}
                """.replace("R/", r + "/"));
        gov.studyWithWorkflow("reviewed", """
                workflow: review
                initial: qc
                states:
                  qc:
                    callbacks:
                      - name: qc
                        type: task
                        args: {url: "R", project: ct-qc, template: ct-qc, token: task-token, tags: [governor]}
                    transitions:
                      - to: good
                        condition: "callbacks.qc.result == 'success' && callbacks.qc.output.quality == 'good'"
                      - to: bad
                  good: {final: true}
                  bad: {final: true}
                """.replace("R", r));
        gov.studyWithWorkflow("shown", """
                workflow: shown
                initial: arrived
                variables: {ct_nifti: string}
                states:
                  arrived:
                    transitions:
                      - to: review
                        condition: "scans.exists(s, s.modality == 'CT') && scans.exists(s, s.modality == 'RTSTRUCT')"
                      - to: incomplete
                  incomplete: {final: true}
                  review:
                    callbacks:
                      - name: review
                        type: task
                        args:
                          url: "TASKS"
                          project: ct-qc
                          template: mask-review
                          token: task-token
                          content: {images: {ct: "var:ct_nifti", series: "scan:ct"}, notes: ["scan:rtstruct", plain]}
                    transitions:
                      - {to: reviewed, condition: "callbacks.review.result == 'success'"}
                      - to: failed
                  reviewed: {final: true}
                  failed: {final: true}
                """.replace("TASKS", r));
        // Issue 19: a corrected RTSTRUCT arrives while a person is asked to re-segment; it moves the experiment on
        // at once (interrupting the pending task), and the new state's task binds the new RTSTRUCT.
        gov.studyWithWorkflow("resegmented", """
                workflow: resegmenting
                initial: resegmentation
                states:
                  resegmentation:
                    callbacks:
                      - {name: hook, type: http, args: {url: "R/accept", wait: true}, waitTimeout: 1h}
                    transitions:
                      - to: recompute
                        interrupt: true
                        condition: "scans_added.exists(s, s.label == 'rtstruct' && s.modality == 'RTSTRUCT')"
                      - {to: answered, condition: "callbacks.hook.result == 'success'"}
                      - to: timed_out
                  recompute:
                    callbacks:
                      - name: show
                        type: task
                        args: {url: "R", project: ct-qc, template: mask-review, token: task-token, content: {mask: "scan:rtstruct"}}
                    transitions:
                      - {to: answered, condition: "callbacks.show.result == 'success'"}
                      - to: timed_out
                  answered: {final: true}
                  timed_out: {final: true}
                """.replace("R/", r + "/").replace("\"R\"", "\"" + r + "\""));
    }

    @AfterAll
    void stop() {
        gov.close();
        receiver.close();
        databases.close();
    }

    private JsonNode callbacks(long experiment) {
        return gov.viewer.get("/api/v1/experiments/" + experiment + "/callbacks").json();
    }

    private List<String> transitions(long experiment) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : gov.viewer.get("/api/v1/experiments/" + experiment + "/actions").json()) {
            out.add(a.path("from").asText("") + "->" + a.get("to").asText() + ":" + a.get("kind").asText());
        }
        return out;
    }

    @Test
    void an_experiment_takes_the_first_transition_whose_condition_holds() {
        long high = gov.experiment("branching", "s1", "e9");
        long low = gov.experiment("branching", "s2", "e3");
        gov.awaitState(high, "accepted", Duration.ofSeconds(10));
        gov.awaitState(low, "accepted", Duration.ofSeconds(10));
        assertEquals(List.of("->received:create", "received->accepted:auto"), transitions(high));
        assertEquals(List.of("->received:create", "received->review:auto", "review->accepted:auto"), transitions(low));
        assertEquals(9, callbacks(high).get(0).path("output").asText().contains("\"score\":9") ? 9 : -1, callbacks(high).toString());
    }

    @Test
    void a_failing_callback_is_retried_as_configured_and_its_attempts_are_counted() {
        long e = gov.experiment("branching", "s3", "e4");
        gov.awaitState(e, "accepted", Duration.ofSeconds(10));
        JsonNode flaky = callbacks(e).get(1);
        assertEquals("flaky", flaky.get("name").asText());
        assertEquals("success", flaky.get("result").asText());
        assertEquals(3, flaky.get("attempts").asInt());
        String key = receiver.requests("/flaky").stream().filter(q -> q.body().at("/experiment/id").asLong() == e)
                .map(Receiver.Request::key).distinct().reduce((a, b) -> a + "," + b).orElseThrow();
        assertEquals("governor-callback-" + flaky.get("id").asLong(), key, "every attempt carries the same idempotency key");
    }

    @Test
    void a_condition_that_fails_at_run_time_is_recorded_and_counts_as_not_holding() {
        long e = gov.experiment("branching", "s4", "e2");
        gov.awaitState(e, "accepted", Duration.ofSeconds(10));
        JsonNode audit = gov.admin.get("/api/v1/audit?target=experiment/" + e).json();
        String actions = audit.findValuesAsText("action").toString();
        assertTrue(actions.contains("condition.error"), actions);
        String details = audit.findValuesAsText("details").toString();
        assertTrue(details.contains("review -> elderly") && details.contains("vars.age"), details);
    }

    @Test
    void a_variable_set_at_creation_changes_the_branch() {
        HttpTestClient.Response r = gov.manager.post("/api/v1/experiments",
                "{\"study\":\"branching\",\"subject\":\"s5\",\"label\":\"e1\",\"variables\":{\"age\":70}}");
        assertEquals(201, r.status(), r.toString());
        long e = r.json().at("/experiment/id").asLong();
        gov.awaitState(e, "elderly", Duration.ofSeconds(10));
        assertEquals(70, gov.viewer.get("/api/v1/experiments/" + e + "/variables").json().get("age").asInt());
    }

    @Test
    void an_export_callback_writes_the_study_table_as_csv_and_parquet() throws Exception {
        HttpTestClient.Response first = gov.manager.post("/api/v1/experiments",
                "{\"study\":\"exported\",\"subject\":\"a\",\"label\":\"v1\",\"variables\":{\"score\":0.5,\"note\":\"x, y\"}}");
        long e1 = first.json().at("/experiment/id").asLong();
        gov.awaitState(e1, "exported", Duration.ofSeconds(10));
        HttpTestClient.Response second = gov.manager.post("/api/v1/experiments",
                "{\"study\":\"exported\",\"subject\":\"b\",\"label\":\"v1\",\"variables\":{\"score\":1}}");
        long e2 = second.json().at("/experiment/id").asLong();
        gov.awaitState(e2, "exported", Duration.ofSeconds(10));
        List<String> csv = Files.readAllLines(exports.resolve("exported.csv"));
        assertEquals("study,subject,experiment,state,note,score,table", csv.get(0));
        assertTrue(csv.get(1).startsWith("exported,a,v1,exported,\"x, y\",0.5,file:"), csv.toString());
        // b's own 'table' variable may or may not be set yet: its two exports run side by side.
        assertTrue(csv.get(2).startsWith("exported,b,v1,collect,,1.0,"), csv.toString());
        var parquet = org.cohortflow.executors.tables.ParquetTables.read(exports.resolve("exported.parquet"));
        assertEquals(2, parquet.rowCount());
        assertEquals(exports.resolve("exported.parquet").toUri().toString(),
                gov.viewer.get("/api/v1/experiments/" + e2 + "/variables").json().get("table").asText());
    }

    @Test
    void a_wait_timeout_fires_on_time_not_at_a_poll() {
        long e = gov.experiment("waiting", "s1", "t1");
        long start = System.nanoTime();
        gov.awaitState(e, "timed_out", Duration.ofSeconds(10));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 1200 && ms < 3500, "timed out after " + ms + " ms, expected about 1500");
        JsonNode hook = callbacks(e).get(0);
        assertEquals("timeout", hook.get("result").asText());
        assertTrue(hook.get("message").asText().contains("wait timeout"), hook.toString());
    }

    @Test
    void a_run_timeout_and_a_url_that_does_not_answer_fail_their_callbacks_with_the_reason() {
        long e = gov.experiment("slow", "s1", "x1");
        gov.awaitState(e, "broken", Duration.ofSeconds(10));
        JsonNode cbs = callbacks(e);
        assertEquals("timeout", cbs.get(0).get("result").asText(), cbs.toString());
        assertTrue(cbs.get(0).get("message").asText().matches(".*(did not finish within|did not answer within the run timeout).*"), cbs.toString());
        assertEquals("failed", cbs.get(1).get("result").asText(), cbs.toString());
        assertEquals(2, cbs.get(1).get("attempts").asInt());
        assertTrue(cbs.get(1).get("message").asText().contains("does not answer"), cbs.toString());
    }

    @Test
    void a_webhook_answered_later_needs_its_secret_and_counts_once() {
        long e = gov.experiment("waiting", "s2", "t2");
        GovernorFixture.await(() -> receiver.requests("/accept").stream().anyMatch(q -> q.body().at("/experiment/id").asLong() == e),
                Duration.ofSeconds(5), () -> "the webhook was not called");
        Receiver.Request q = receiver.requests("/accept").stream().filter(x -> x.body().at("/experiment/id").asLong() == e).findFirst().orElseThrow();
        String url = q.body().get("callbackUrl").asText();
        String path = url.substring(url.indexOf("/api/"));
        String ok = "{\"result\":\"success\",\"message\":\"looks fine\",\"output\":{\"grade\":\"A\"}}";
        assertEquals(401, gov.anonymous.send("PUT", path, ok, null).status());
        HttpTestClient.Response wrong = gov.anonymous.send("PUT", path, ok, "X-Cohortflow-Secret: not-the-secret");
        assertEquals(401, wrong.status());
        assertTrue(wrong.json().get("error").asText().contains("wrong secret"), wrong.toString());
        HttpTestClient.Response bad = gov.anonymous.send("PUT", path, "{\"result\":\"maybe\"}", "X-Cohortflow-Secret: " + q.secret());
        assertEquals(400, bad.status());
        assertEquals("result", bad.json().get("field").asText());
        assertEquals("waiting", gov.state(e));
        HttpTestClient.Response first = gov.anonymous.send("PUT", path, ok, "X-Cohortflow-Secret: " + q.secret());
        assertEquals(200, first.status(), first.toString());
        assertEquals("accepted", first.json().get("status").asText());
        assertEquals("answered", gov.state(e));
        HttpTestClient.Response again = gov.anonymous.send("POST", path, ok, "X-Cohortflow-Secret: " + q.secret());
        assertEquals("already resolved", again.json().get("status").asText());
        assertEquals(List.of("->waiting:create", "waiting->answered:auto"), transitions(e));
        assertTrue(gov.admin.get("/api/v1/audit?target=callback/" + path.substring(path.lastIndexOf('/') + 1)).body().contains("callback.rejected"));
    }

    @Test
    void a_task_is_created_in_the_task_service_and_its_result_moves_the_experiment() {
        long e = gov.experiment("reviewed", "s1", "r1");
        GovernorFixture.await(() -> receiver.requests("/api/v1/tasks").stream().anyMatch(q -> q.body().at("/content/experiment").asText().equals("r1")),
                Duration.ofSeconds(5), () -> "no task was created");
        Receiver.Request created = receiver.requests("/api/v1/tasks").stream()
                .filter(q -> q.body().at("/content/experiment").asText().equals("r1")).findFirst().orElseThrow();
        assertEquals("Bearer task-token", created.authorization());
        assertEquals("ct-qc", created.body().get("project").asText());
        assertEquals("s1", created.body().at("/content/subject").asText());
        assertEquals("governor", created.body().at("/tags/0").asText());
        String url = created.body().get("callbackUrl").asText();
        String secret = created.body().get("callbackSecret").asText();
        assertNotNull(secret);
        // the receiver has the request before the governor has its answer: wait for the callback to be waiting
        GovernorFixture.await(() -> callbacks(e).get(0).get("status").asText().equals("waiting"), Duration.ofSeconds(30),
                () -> "the task callback is not waiting: " + callbacks(e));
        // What the task service PUTs when a reviewer submits (issue 14's callback contract).
        String done = "{\"kind\":\"task\",\"task\":1,\"project\":\"ct-qc\",\"template\":\"ct-qc\",\"status\":\"done\","
                + "\"subject\":\"s1\",\"experiment\":\"r1\",\"tags\":[],\"result\":{\"quality\":\"good\"},\"skipReason\":null,"
                + "\"finishedBy\":\"rita\",\"finishedAt\":\"2026-12-03T08:00:00Z\"}";
        HttpTestClient.Response r = gov.anonymous.send("PUT", url.substring(url.indexOf("/api/")), done, "X-Cohortflow-Secret: " + secret);
        assertEquals(200, r.status(), r.toString());
        gov.awaitState(e, "good", Duration.ofSeconds(5));
        assertEquals("rita", callbacks(e).get(0).at("/output").asText().contains("rita") ? "rita" : "", callbacks(e).toString());
        String audit = gov.admin.get("/api/v1/audit?target=experiment/" + e).body();
        assertTrue(audit.contains("task 1 done by rita"), "the governor's audit log names who answered the task: " + audit);
    }

    @Test
    void a_task_content_names_the_experiments_scans_and_variables_as_a_pipelines_sources_do() {
        HttpTestClient.Response made = gov.manager.post("/api/v1/experiments", "{\"study\":\"shown\",\"subject\":\"s8\","
                + "\"label\":\"m1\",\"variables\":{\"ct_nifti\":\"file:///runs/ct.nii.gz\"},\"scans\":["
                + "{\"label\":\"ct\",\"modality\":\"CT\",\"kind\":\"folder\",\"url\":\"file:///store/S/1/2\"},"
                + "{\"label\":\"rtstruct\",\"modality\":\"RTSTRUCT\",\"kind\":\"folder\",\"url\":\"file:///store/S/1/3\"}]}");
        assertEquals(201, made.status(), made.toString());
        GovernorFixture.await(() -> receiver.requests("/api/v1/tasks").stream().anyMatch(q -> q.body().at("/content/experiment").asText().equals("m1")),
                Duration.ofSeconds(10), () -> "no task was created: " + made.body() + gov.viewer.get("/api/v1/experiments/" + made.json().at("/experiment/id").asLong() + "/actions").body()
                        + gov.admin.get("/api/v1/audit?target=experiment/" + made.json().at("/experiment/id").asLong()).body());
        JsonNode content = receiver.requests("/api/v1/tasks").stream()
                .filter(q -> q.body().at("/content/experiment").asText().equals("m1")).findFirst().orElseThrow().body().get("content");
        assertEquals("file:///runs/ct.nii.gz", content.at("/images/ct").asText(), content.toString());
        assertEquals("file:///store/S/1/2", content.at("/images/series").asText(), content.toString());
        assertEquals("file:///store/S/1/3", content.at("/notes/0").asText(), content.toString());
        assertEquals("plain", content.at("/notes/1").asText(), content.toString());
        assertTrue(content.path("scans").isMissingNode(), "with images given, the scans are not sent: " + content);

        // no variable: the callback fails with the reason, and the experiment takes the failure branch
        HttpTestClient.Response bare = gov.manager.post("/api/v1/experiments", "{\"study\":\"shown\",\"subject\":\"s8\","
                + "\"label\":\"m2\",\"scans\":["
                + "{\"label\":\"ct\",\"modality\":\"CT\",\"kind\":\"folder\",\"url\":\"file:///store/S/2/2\"},"
                + "{\"label\":\"rtstruct\",\"modality\":\"RTSTRUCT\",\"kind\":\"folder\",\"url\":\"file:///store/S/2/3\"}]}");
        long e = bare.json().at("/experiment/id").asLong();
        gov.awaitState(e, "failed", Duration.ofSeconds(10));
        assertTrue(callbacks(e).toString().contains("has no variable 'ct_nifti' for content.images.ct"), callbacks(e).toString());

        // a CT without its RTSTRUCT: the exists() condition does not hold
        long ctOnly = gov.manager.post("/api/v1/experiments", "{\"study\":\"shown\",\"subject\":\"s8\",\"label\":\"m3\",\"scans\":["
                + "{\"label\":\"ct\",\"modality\":\"CT\",\"kind\":\"folder\",\"url\":\"file:///store/S/3/2\"}]}")
                .json().at("/experiment/id").asLong();
        gov.awaitState(ctOnly, "incomplete", Duration.ofSeconds(10));
    }

    @Test
    void a_scan_sent_again_under_its_label_supersedes_the_old_one_moves_the_experiment_and_a_resend_changes_nothing() {
        String v1 = "file:///store/P/1/rt-v1.dcm";
        String v2 = "file:///store/P/1/rt-v2.dcm";
        HttpTestClient.Response made = gov.manager.post("/api/v1/experiments", "{\"study\":\"resegmented\",\"subject\":\"r1\","
                + "\"label\":\"x1\",\"scans\":[{\"label\":\"ct\",\"modality\":\"CT\",\"kind\":\"folder\",\"url\":\"file:///store/P/1/ct\"},"
                + "{\"label\":\"rtstruct\",\"modality\":\"RTSTRUCT\",\"kind\":\"file\",\"url\":\"" + v1 + "\"}]}");
        assertEquals(201, made.status(), made.toString());
        long e = made.json().at("/experiment/id").asLong();
        GovernorFixture.await(() -> callbacks(e).get(0).get("status").asText().equals("waiting"), Duration.ofSeconds(10),
                () -> "not waiting: " + callbacks(e));
        assertEquals("resegmentation", gov.state(e), "the scans an experiment is made with are not 'added' in its first state");
        String path = "/api/v1/experiments/" + e + "/scans";

        // bad input: a 4xx naming the field, nothing written
        int auditBefore = gov.admin.get("/api/v1/audit?target=experiment/" + e).json().size();
        HttpTestClient.Response empty = gov.manager.post(path, "{\"scans\":[]}");
        assertEquals(400, empty.status(), empty.toString());
        assertEquals("scans", empty.json().get("field").asText());
        HttpTestClient.Response badKind = gov.manager.post(path, "{\"scans\":[{\"label\":\"pet\",\"url\":\"u\",\"kind\":\"tape\"}]}");
        assertEquals("scans[0].kind", badKind.json().get("field").asText(), badKind.toString());
        HttpTestClient.Response twice = gov.manager.post(path, "{\"scans\":[{\"label\":\"pet\",\"url\":\"u\"},{\"label\":\"pet\",\"url\":\"w\"}]}");
        assertEquals("scans[1].label", twice.json().get("field").asText(), twice.toString());
        HttpTestClient.Response noUrl = gov.manager.post(path, "{\"scans\":[{\"label\":\"pet\"}]}");
        assertEquals("scans[0].url", noUrl.json().get("field").asText(), noUrl.toString());
        assertEquals(404, gov.manager.post("/api/v1/experiments/999999/scans", "{\"scans\":[{\"label\":\"a\",\"url\":\"u\"}]}").status());
        // authentication and role
        String body = "{\"scans\":[{\"label\":\"rtstruct\",\"modality\":\"RTSTRUCT\",\"kind\":\"file\",\"url\":\"" + v2 + "\"}],"
                + "\"reason\":\"corrected contour\"}";
        assertEquals(401, gov.anonymous.post(path, body).status());
        assertEquals(401, gov.anonymous.withToken("cft_forged").post(path, body).status());
        assertEquals(403, gov.viewer.post(path, body).status());
        assertEquals(auditBefore, gov.admin.get("/api/v1/audit?target=experiment/" + e).json().size(), "refused requests write nothing");

        // the same scan again (label and URL) changes nothing
        HttpTestClient.Response same = gov.manager.post(path, "{\"scans\":[{\"label\":\"rtstruct\",\"modality\":\"RTSTRUCT\","
                + "\"kind\":\"file\",\"url\":\"" + v1 + "\"}]}");
        assertEquals(200, same.status(), same.toString());
        assertEquals("[\"rtstruct\"]", same.json().get("unchanged").toString());
        assertEquals("resegmentation", gov.state(e));
        assertEquals(auditBefore, gov.admin.get("/api/v1/audit?target=experiment/" + e).json().size());

        // the corrected RTSTRUCT supersedes the old one and the interrupting transition fires
        HttpTestClient.Response corrected = gov.manager.post(path, body);
        assertEquals(201, corrected.status(), corrected.toString());
        assertEquals("[\"rtstruct\"]", corrected.json().get("superseded").toString());
        gov.awaitState(e, "recompute", Duration.ofSeconds(10));
        JsonNode scans = gov.viewer.get(path).json();
        assertEquals(2, scans.get("scans").size(), scans.toString());
        JsonNode rt = scans.get("scans").findParents("label").stream().filter(n -> n.get("label").asText().equals("rtstruct"))
                .findFirst().orElseThrow();
        assertEquals(v2, rt.get("url").asText(), scans.toString());
        assertEquals(1, scans.get("superseded").size(), scans.toString());
        assertEquals(v1, scans.at("/superseded/0/scan/url").asText(), scans.toString());
        assertEquals(rt.get("id").asLong(), scans.at("/superseded/0/replacedBy").asLong(), scans.toString());
        assertTrue(callbacks(e).get(0).get("status").asText().equals("skipped"), "the pending callback is skipped: " + callbacks(e));
        String audit = gov.admin.get("/api/v1/audit?target=experiment/" + e).body();
        assertTrue(audit.contains("scan.supersede") && audit.contains("corrected contour") && audit.contains(v1), audit);
        assertTrue(transitions(e).contains("resegmentation->recompute:auto"), transitions(e).toString());
        // the new state's task binds scan:rtstruct to the new file
        GovernorFixture.await(() -> receiver.requests("/api/v1/tasks").stream().anyMatch(q -> q.body().at("/content/experiment").asText().equals("x1")),
                Duration.ofSeconds(10), () -> "no task was created: " + callbacks(e));
        JsonNode content = receiver.requests("/api/v1/tasks").stream().filter(q -> q.body().at("/content/experiment").asText().equals("x1"))
                .findFirst().orElseThrow().body().get("content");
        assertEquals(v2, content.at("/mask").asText(), content.toString());

        // a resend of the corrected scan (the intake after a kill -9) changes nothing: no audit entry, no transition
        int auditAfter = gov.admin.get("/api/v1/audit?target=experiment/" + e).json().size();
        int actionsAfter = transitions(e).size();
        HttpTestClient.Response resend = gov.manager.post(path, body);
        assertEquals(200, resend.status(), resend.toString());
        assertEquals("[]", resend.json().get("superseded").toString());
        assertEquals(auditAfter, gov.admin.get("/api/v1/audit?target=experiment/" + e).json().size());
        assertEquals(actionsAfter, transitions(e).size());
        assertEquals(1, gov.viewer.get(path).json().get("superseded").size());
        HttpTestClient.Response page = gov.viewer.get("/experiments/" + e);
        assertEquals(200, page.status(), page.toString());
        assertTrue(page.body().contains("class=\"superseded\"") && page.body().contains("<del>" + v1 + "</del>"),
                "the experiment page shows the superseded scan: " + page.body());
        // a label the experiment has not got is added
        HttpTestClient.Response pet = gov.manager.post(path, "{\"scans\":[{\"label\":\"pet\",\"modality\":\"PT\",\"url\":\"file:///store/P/1/pet\"}]}");
        assertEquals(201, pet.status(), pet.toString());
        assertEquals("[\"pet\"]", pet.json().get("added").toString());
        assertTrue(gov.admin.get("/api/v1/audit?target=experiment/" + e).body().contains("scan.create"));
    }

    @Test
    void a_manual_transition_is_allowed_only_along_a_defined_transition() {
        long e = gov.experiment("branching", "s6", "e8");
        gov.awaitState(e, "accepted", Duration.ofSeconds(10));
        HttpTestClient.Response undefined = gov.manager.post("/api/v1/experiments/" + e + "/transition", "{\"to\":\"failed\"}");
        assertEquals(409, undefined.status());
        assertTrue(undefined.json().get("error").asText().contains("no transition from 'accepted' to 'failed'"), undefined.toString());
        HttpTestClient.Response unknown = gov.manager.post("/api/v1/experiments/" + e + "/transition", "{\"to\":\"limbo\"}");
        assertEquals(400, unknown.status());
        assertEquals("to", unknown.json().get("field").asText());
        HttpTestClient.Response ok = gov.manager.post("/api/v1/experiments/" + e + "/transition", "{\"to\":\"review\",\"reason\":\"second look\"}");
        assertEquals(200, ok.status(), ok.toString());
        gov.awaitState(e, "accepted", Duration.ofSeconds(10));
        List<String> t = transitions(e);
        assertEquals("accepted->review:manual", t.get(2), t.toString());
        JsonNode actions = gov.viewer.get("/api/v1/experiments/" + e + "/actions").json();
        assertEquals("mona", actions.get(2).get("actor").asText());
        assertEquals("second look", actions.get(2).get("reason").asText());
    }

    @Test
    void bad_input_is_a_4xx_naming_the_field_and_writes_nothing() {
        int before = gov.viewer.get("/api/v1/experiments?limit=1000").json().size();
        HttpTestClient.Response noStudy = gov.manager.post("/api/v1/experiments", "{\"study\":\"nope\",\"subject\":\"s\",\"label\":\"l\"}");
        assertEquals(400, noStudy.status());
        assertEquals("study", noStudy.json().get("field").asText());
        HttpTestClient.Response unknownField = gov.manager.post("/api/v1/experiments", "{\"study\":\"branching\",\"subject\":\"s\",\"label\":\"l\",\"colour\":1}");
        assertEquals("colour", unknownField.json().get("field").asText());
        HttpTestClient.Response badVariable = gov.manager.post("/api/v1/experiments",
                "{\"study\":\"branching\",\"subject\":\"s7\",\"label\":\"e5\",\"variables\":{\"age\":\"old\"}}");
        assertEquals(400, badVariable.status());
        assertEquals("variables.age", badVariable.json().get("field").asText());
        assertTrue(badVariable.json().get("error").asText().contains("declared int"), badVariable.toString());
        HttpTestClient.Response badScan = gov.manager.post("/api/v1/experiments",
                "{\"study\":\"branching\",\"subject\":\"s7\",\"label\":\"e5\",\"scans\":[{\"label\":\"ct\",\"url\":\"x\",\"kind\":\"tape\"}]}");
        assertEquals("scans[0].kind", badScan.json().get("field").asText());
        assertEquals(before, gov.viewer.get("/api/v1/experiments?limit=1000").json().size(), "nothing half-written");
        assertEquals(0, gov.viewer.get("/api/v1/experiments?subject=s7").json().size(), "the subject of a refused experiment is not created");
        HttpTestClient.Response malformed = gov.manager.post("/api/v1/experiments", "{\"study\":");
        assertEquals(400, malformed.status());
        HttpTestClient.Response invalid = gov.manager.post("/api/v1/workflows", "{\"yaml\":" + HttpTestClient.quote(
                "workflow: w\ninitial: a\nstates:\n  a:\n    transitions: [{to: b, condition: \"vars.x > 1\"}]\n") + ",\"source\":\"mine.yaml\"}");
        assertEquals(422, invalid.status());
        String problems = invalid.json().get("problems").findValuesAsText("text").toString();
        assertTrue(problems.contains("mine.yaml:5:24: unknown state 'b'"), problems);
        assertTrue(problems.contains("mine.yaml:5:39: condition does not type-check: unknown name 'vars.x'"), problems);
        HttpTestClient.Response page = gov.viewer.get("/api/v1/experiments?limit=0");
        assertEquals("limit", page.json().get("field").asText());
        assertEquals(404, gov.viewer.get("/api/v1/experiments/999999").status());
    }

    @Test
    void a_study_with_members_is_changed_only_by_its_members_and_admins() {
        assertEquals(201, gov.admin.post("/api/v1/users", "{\"name\":\"max\",\"password\":\"secret-pass\",\"roles\":[\"manager\"]}").status());
        HttpTestClient max = gov.anonymous.withPassword("max", "secret-pass");
        assertEquals(201, gov.manager.post("/api/v1/studies", "{\"name\":\"closed\",\"workflow\":\"held\"}").status());
        long study = idOfStudy("closed");
        HttpTestClient.Response unknownUser = gov.admin.put("/api/v1/studies/" + study + "/members/nobody", null);
        assertEquals(400, unknownUser.status());
        assertEquals("name", unknownUser.json().get("field").asText());
        assertEquals(200, gov.admin.put("/api/v1/studies/" + study + "/members/mona", null).status());
        assertEquals("[\"mona\"]", gov.viewer.get("/api/v1/studies/" + study + "/members").body());
        String body = "{\"study\":\"closed\",\"subject\":\"m1\",\"label\":\"e1\"}";
        HttpTestClient.Response refused = max.post("/api/v1/experiments", body);
        assertEquals(403, refused.status());
        assertTrue(refused.json().get("error").asText().contains("not a member of study 'closed'"), refused.toString());
        HttpTestClient.Response made = gov.manager.post("/api/v1/experiments", body);
        assertEquals(201, made.status(), made.toString());
        long e = made.json().at("/experiment/id").asLong();
        assertEquals(403, max.put("/api/v1/experiments/" + e + "/variables/x", "{\"value\":1}").status());
        assertEquals(403, max.post("/api/v1/experiments/" + e + "/transition", "{\"to\":\"timed_out\"}").status());
        assertEquals("waiting", gov.state(e));
        assertEquals(201, max.post("/api/v1/experiments", "{\"study\":\"branching\",\"subject\":\"m2\",\"label\":\"e5\"}").status(),
                "a study without members is open to every manager");
        assertEquals(204, gov.admin.delete("/api/v1/studies/" + study + "/members/mona").status());
        assertEquals(200, max.put("/api/v1/experiments/" + e + "/variables/x", "{\"value\":1}").status());
        assertTrue(gov.admin.get("/api/v1/audit?target=study/" + study).body().contains("study.member.remove"));
    }

    private long idOfStudy(String name) {
        for (JsonNode s : gov.viewer.get("/api/v1/studies").json()) {
            if (s.get("name").asText().equals(name)) {
                return s.get("id").asLong();
            }
        }
        throw new AssertionError("no study " + name);
    }

    @Test
    void variables_are_typed_as_the_workflow_declares() {
        long e = gov.experiment("branching", "s8", "e6");
        HttpTestClient.Response bad = gov.manager.put("/api/v1/experiments/" + e + "/variables/age", "{\"value\":\"old\"}");
        assertEquals(400, bad.status());
        assertEquals("value", bad.json().get("field").asText());
        HttpTestClient.Response ok = gov.manager.put("/api/v1/experiments/" + e + "/variables/age", "{\"value\":42}");
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(42, ok.json().at("/variables/age").asInt());
        assertTrue(gov.admin.get("/api/v1/audit?target=experiment/" + e).body().contains("age = 42"));
    }

    /**
     * Every mutating endpoint the governor documents, tried without credentials, with a wrong password,
     * with a viewer's token and (for callback endpoints) with a wrong secret: each is refused and nothing
     * is written but the record of a rejected callback.
     */
    @Test
    void every_mutating_endpoint_refuses_callers_without_the_right_credentials() {
        long e = gov.experiment("held", "s9", "t9");
        GovernorFixture.await(() -> callbacks(e).get(0).get("status").asText().equals("waiting"), Duration.ofSeconds(5), () -> "not waiting");
        long callback = callbacks(e).get(0).get("id").asLong();
        JsonNode doc = gov.anonymous.get("/openapi.json").json();
        int auditBefore = auditCount();
        List<String> rows = new ArrayList<>();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            String path = p.getKey().replace("{id}", p.getKey().startsWith("/api/v1/callbacks") ? String.valueOf(callback) : String.valueOf(e))
                    .replace("{name}", "age");
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (method.equals("GET")) {
                    continue;
                }
                String body = "{}";
                String role = op.getValue().path("x-required-role").asText("");
                boolean secret = op.getValue().get("security").toString().contains("callbackSecret");
                if (p.getKey().equals("/login")) {
                    continue; // authenticated by the password it carries; covered by the kit's tests
                }
                checked++;
                if (secret) {
                    int none = gov.anonymous.send(method, path, "{\"result\":\"success\"}", null).status();
                    int wrong = gov.anonymous.send(method, path, "{\"result\":\"success\"}", "X-Cohortflow-Secret: wrong").status();
                    rows.add(method + " " + p.getKey() + " no-secret=" + none + " wrong-secret=" + wrong);
                    assertEquals(401, none, method + " " + path);
                    assertEquals(401, wrong, method + " " + path);
                    continue;
                }
                int none = gov.anonymous.send(method, path, body, null).status();
                int badPassword = gov.anonymous.withPassword("root", "nope-nope").send(method, path, body, null).status();
                int badToken = gov.anonymous.withToken("cft_forged").send(method, path, body, null).status();
                int viewer = gov.viewer.send(method, path, body, null).status();
                rows.add(method + " " + p.getKey() + " [" + role + "] none=" + none + " bad-password=" + badPassword
                        + " bad-token=" + badToken + " viewer=" + viewer);
                assertEquals(401, none, method + " " + path);
                assertEquals(401, badPassword, method + " " + path);
                assertEquals(401, badToken, method + " " + path);
                if (!role.equals("viewer")) {
                    assertEquals(403, viewer, method + " " + path);
                }
            }
        }
        System.out.println("authorisation table:\n  " + String.join("\n  ", rows));
        assertTrue(checked >= 15, "only " + checked + " mutating endpoints found: " + rows);
        assertEquals("waiting", gov.state(e));
        assertEquals(auditBefore + 2, auditCount(), "only the two rejected callback answers are recorded");
    }

    private int auditCount() {
        return gov.admin.get("/api/v1/audit?limit=1000").json().size();
    }
}
