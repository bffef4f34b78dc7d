package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.cohortflow.governance.Governor;
import org.cohortflow.intake.IntakeService;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.tasks.TasksService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example study ({@code examples/study/}) on DICOM input, in the real intake, study governor and task
 * service, all in this JVM on embedded H2: the DICOM CT and RTSTRUCT of four subjects of the shared STS cohort
 * are dropped in the intake's watched folder, de-identified with the example's profile and archived in its
 * folder store, and the intake makes one experiment per study at the governor with the scans labelled
 * {@code ct} and {@code rtstruct} by the profile's rules. The governor runs the workflow as written: the CT
 * preview and the radiomics and mask pipelines for real (local executor), task callbacks to the task service,
 * where a reviewer answers over its REST API as the page does, and the task service calls the governor back.
 * Each subject takes a different branch; the failure branches that need broken input get experiments made
 * over REST as the intake makes them, pointing into the same store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StudyWorkflowIT {
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final String ADMIN_PASSWORD = "study-admin-password";
    private static final List<String> SUBJECTS = List.of("STS_001", "STS_002", "STS_003", "STS_004");
    private Path dir;
    private RunningService tasks;
    private Governor governor;
    private IntakeService.Running intake;
    private HttpTestClient tasksAdmin;
    private HttpTestClient reviewer;
    private HttpTestClient manager;
    private Path export;
    private Path runs;
    /** Original patient id -> the experiment the intake made for it. */
    private final Map<String, JsonNode> experiments = new HashMap<>();

    @BeforeAll
    void startTheServicesAndSendTheCohortThroughTheIntake(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Path study = CohortflowCommandTest.examples().resolve("study");
        Path cohort = cohort();
        assertTrue(Files.isRegularFile(cohort.resolve("STS_001/CT/mask/RS.dcm")), "the shared STS cohort (DICOM) is missing at " + cohort);
        export = dir.resolve("export");
        Path governorData = dir.resolve("governor");
        // the governor's pipelines write below DATA/runs: the task service may show those files and nothing else
        runs = Files.createDirectories(governorData.resolve("runs"));

        Path tasksData = dir.resolve("tasks");
        tasks = new TasksService().start(new ServiceConfig("tasks", "127.0.0.1", 0, tasksData, DatabaseSettings.h2File(tasksData),
                new BootstrapAdmin("admin", ADMIN_PASSWORD), null,
                Map.of("dataRoots", List.of(runs.toString()), "callbackFirstRetrySeconds", 1, "callbackPollMillis", 100)));
        tasksAdmin = HttpTestClient.anonymous(tasks.baseUri()).withPassword("admin", ADMIN_PASSWORD);
        ok(tasksAdmin.post("/api/v1/projects", "{\"name\":\"study\",\"description\":\"the example study\"}"));
        try (Stream<Path> templates = Files.list(study.resolve("templates"))) {
            for (Path t : templates.sorted().toList()) {
                ok(tasksAdmin.put("/api/v1/templates/" + t.getFileName().toString().replace(".yaml", ""), Files.readString(t)));
            }
        }
        ok(tasksAdmin.post("/api/v1/users", "{\"name\":\"rita\",\"password\":\"rita-password\",\"roles\":[\"viewer\"]}"));
        ok(tasksAdmin.put("/api/v1/reviewers/rita", "{\"weight\":1}"));
        reviewer = HttpTestClient.anonymous(tasks.baseUri()).withPassword("rita", "rita-password");
        // the governor's own account at the task service: a manager with a token, as docs/tasks.md sets it up
        ok(tasksAdmin.post("/api/v1/users", "{\"name\":\"governor\",\"password\":\"governor-password\",\"roles\":[\"manager\"]}"));
        String tasksToken = HttpTestClient.anonymous(tasks.baseUri()).withPassword("governor", "governor-password")
                .post("/api/v1/tokens", "{\"label\":\"governor\"}").json().get("value").asText();

        governor = Governor.start(new ServiceConfig("governor", "127.0.0.1", 0, governorData, DatabaseSettings.h2File(governorData),
                new BootstrapAdmin("admin", ADMIN_PASSWORD), null,
                Map.of("pipelines", Map.of("root", CohortflowCommandTest.examples().getParent().toString(), "executor", "local"),
                        "tasks", Map.of("token", tasksToken))), new PrintStream(new ByteArrayOutputStream()));
        HttpTestClient governorAdmin = HttpTestClient.anonymous(governor.baseUri()).withPassword("admin", ADMIN_PASSWORD);
        ok(governorAdmin.post("/api/v1/users", "{\"name\":\"mona\",\"password\":\"mona-password\",\"roles\":[\"manager\"]}"));
        manager = HttpTestClient.anonymous(governor.baseUri()).withPassword("mona", "mona-password");

        // the example as written, with the addresses of this test's task service and export folder
        String workflow = Files.readString(study.resolve("workflow.yaml"))
                .replace("http://127.0.0.1:8083", tasks.baseUri().toString().replaceAll("/+$", ""))
                .replace("/tmp/cohortflow-study/export", export.toString());
        ok(manager.post("/api/v1/workflows", "{\"yaml\":" + HttpTestClient.quote(workflow) + "}"));
        ok(manager.post("/api/v1/studies", "{\"name\":\"study\",\"workflow\":\"study-radiomics\"}"));
        String intakeToken = manager.post("/api/v1/tokens", "{\"label\":\"intake\"}").json().get("value").asText();

        // the intake with the example's profile, a watched folder and the folder store, telling the governor
        Path intakeData = dir.resolve("intake");
        Path watch = Files.createDirectories(dir.resolve("watch"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("profile", study.resolve("intake-profile.yaml").toString());
        settings.put("watch", watch.toString());
        settings.put("studyQuietSeconds", "2");
        settings.put("retry", Map.of("firstSeconds", "0", "maxSeconds", "2"));
        settings.put("governor", Map.of("url", governor.baseUri().toString(), "token", intakeToken, "study", "study"));
        intake = new IntakeService().start(new ServiceConfig(IntakeService.NAME, "127.0.0.1", 0, intakeData,
                DatabaseSettings.h2File(intakeData), new BootstrapAdmin("admin", ADMIN_PASSWORD), null, settings));

        // each subject's CT series and RTSTRUCT, copied aside and moved into the watched folder whole
        Path staging = Files.createDirectories(dir.resolve("staging"));
        for (String s : SUBJECTS) {
            for (String part : List.of("image", "mask")) {
                Path to = Files.createDirectories(staging.resolve(s).resolve(part));
                try (Stream<Path> files = Files.list(cohort.resolve(s).resolve("CT").resolve(part))) {
                    for (Path f : files.toList()) {
                        Files.copy(f, to.resolve(f.getFileName()));
                    }
                }
            }
            Files.move(staging.resolve(s), watch.resolve(s));
        }
        awaitCondition(() -> manager.get("/api/v1/experiments?study=study").json().size() == SUBJECTS.size(),
                () -> "the intake made " + manager.get("/api/v1/experiments?study=study").body() + "; intake status: "
                        + intakeAdmin().get("/api/v1/status").body());
        Map<String, String> pseudonyms = new HashMap<>();
        for (JsonNode m : intakeAdmin().get("/api/v1/idmap").json()) {
            pseudonyms.put(m.get("pseudonym").asText(), m.get("original").asText());
        }
        for (JsonNode e : manager.get("/api/v1/experiments?study=study").json()) {
            JsonNode full = manager.get("/api/v1/experiments/" + e.get("id").asLong()).json();
            experiments.put(pseudonyms.get(full.at("/experiment/subject").asText()), full);
        }
        assertEquals(SUBJECTS, experiments.keySet().stream().sorted().toList(), experiments.toString());
    }

    @AfterAll
    void stop() {
        if (intake != null) {
            intake.close();
        }
        if (governor != null) {
            governor.close();
        }
        if (tasks != null) {
            tasks.close();
        }
    }

    @Test
    void theIntakeLabelsTheCtSeriesAndTheRtstructByTheProfilesRules() {
        for (String s : SUBJECTS) {
            JsonNode e = experiments.get(s);
            Map<String, String> scans = new HashMap<>();
            for (JsonNode scan : e.get("scans")) {
                scans.put(scan.get("label").asText(), scan.get("modality").asText() + " " + scan.get("kind").asText());
                Path where = Path.of(URI.create(scan.get("url").asText()));
                assertTrue(where.startsWith(dir.resolve("intake")), "archived in the intake's folder store: " + scan);
                assertTrue(scan.get("kind").asText().equals("folder") ? Files.isDirectory(where) : Files.isRegularFile(where), scan.toString());
            }
            assertEquals(Map.of("ct", "CT folder", "rtstruct", "RTSTRUCT file"), scans, e.toString());
            assertTrue(e.at("/experiment/subject").asText().startsWith("STUDY-"), "the pseudonym is the subject: " + e);
        }
    }

    @Test
    void aUsableScanWithAnAcceptedMaskEndsDoneAndItsTasksShowTheNiftiThePipelinesMade() throws Exception {
        long e = id("STS_001");
        String subject = subject("STS_001");
        JsonNode qc = answer(subject, "study-scan-qc", "{\"quality\":\"usable\"}");
        String ctNifti = qc.at("/content/images/ct").asText();
        assertTrue(ctNifti.endsWith(".nii.gz") && Path.of(URI.create(ctNifti)).startsWith(runs), "the QC shows the preview's CT: " + qc);
        awaitState(e, "mask_review");
        JsonNode review = openTask(subject, "study-mask-review");
        assertEquals(ctNifti, review.at("/content/images/ct").asText(), review.toString());
        String maskNifti = review.at("/content/images/mask").asText();
        assertTrue(maskNifti.endsWith(".nii.gz") && Path.of(URI.create(maskNifti)).startsWith(runs), review.toString());
        // the viewer's image requests: the task service serves the pipelines' NIfTI files as they are
        for (String key : List.of("ct", "mask")) {
            String link = review.at("/imageLinks/" + key).asText();
            assertTrue(link.endsWith(".nii.gz"), "the viewer (NiiVue) knows the format by the name: " + review);
            byte[] served = get(tasks.baseUri().resolve(link).toString());
            assertArrayEquals(Files.readAllBytes(Path.of(URI.create(review.at("/content/images/" + key).asText()))), served, key);
            assertEquals(0x1f, served[0] & 0xff, key + " is gzip");
        }
        answerTask(review.get("id").asLong(), "{\"verdict\":\"accept\"}");
        awaitState(e, "done");

        JsonNode variables = manager.get("/api/v1/experiments/" + e + "/variables").json();
        assertTrue(variables.get("features").asText().endsWith(".json"), variables.toString());
        String features = Files.readString(Path.of(URI.create(variables.get("features").asText())));
        assertTrue(features.contains("GTV_Mass_CT"), "the features of the RTSTRUCT's ROI: " + features.substring(0, Math.min(300, features.length())));
        awaitCondition(() -> cohortTableRow(subject).contains("done"), () -> "cohort table: " + cohortTable());
    }

    @Test
    void aBrokenRtstructFailsThePipelineAndAnInspectTaskShowingTheCtExcludesIt() throws Exception {
        Path broken = Files.writeString(Files.createDirectories(dir.resolve("broken")).resolve("RS.dcm"), "not a DICOM file");
        long e = experiment("broken-rtstruct", scan("ct", "CT", "folder", url("STS_001", "ct")),
                scan("rtstruct", "RTSTRUCT", "file", broken.toUri().toString()));
        answer("broken-rtstruct", "study-scan-qc", "{\"quality\":\"usable\"}");
        awaitState(e, "pipeline_failed");
        String callbacks = manager.get("/api/v1/experiments/" + e + "/callbacks").body();
        assertTrue(callbacks.contains("failed"), callbacks);
        JsonNode inspect = openTask("broken-rtstruct", "study-inspect");
        assertTrue(inspect.at("/content/images/ct").asText().endsWith(".nii.gz"), inspect.toString());
        answerTask(inspect.get("id").asLong(), "{\"decision\":\"exclude\",\"cause\":\"bad input\"}");
        awaitState(e, "excluded");
        awaitCondition(() -> cohortTableRow("broken-rtstruct").contains("excluded"), () -> "cohort table: " + cohortTable());
    }

    @Test
    void aCtThatCannotBeReadIsUnreadableWithoutATask() throws Exception {
        Path series = Files.createDirectories(dir.resolve("unreadable"));
        Files.writeString(series.resolve("000000.dcm"), "not a DICOM file");
        long e = experiment("unreadable", scan("ct", "CT", "folder", series.toUri().toString()),
                scan("rtstruct", "RTSTRUCT", "file", url("STS_001", "rtstruct")));
        awaitState(e, "unreadable");
        assertTrue(manager.get("/api/v1/experiments/" + e + "/callbacks").body().contains("failed"));
    }

    @Test
    void aRejectedMaskIsComputedAgainFromTheCorrectedRtstructTheCentreSendsToTheIntake() throws Exception {
        long e = id("STS_002");
        String subject = subject("STS_002");
        String rejected = url("STS_002", "rtstruct");
        answer(subject, "study-scan-qc", "{\"quality\":\"usable\"}");
        awaitState(e, "mask_review");
        answer(subject, "study-mask-review", "{\"verdict\":\"resegment\",\"slices_off\":3}");
        awaitState(e, "resegmentation");
        JsonNode resegment = openTask(subject, "study-resegment");
        assertTrue(resegment.at("/content/images/mask").asText().endsWith(".nii.gz"), "the rejected mask is shown: " + resegment);

        // The centre sends a corrected RTSTRUCT: the subject's own, as a new series with a new instance, dropped
        // whole in the intake's watched folder like the first delivery. Nobody answers the task.
        com.pixelmed.dicom.AttributeList rt = org.cohortflow.intake.deidentify.DicomFiles.read(
                cohort().resolve("STS_002/CT/mask/RS.dcm"));
        for (var tag : List.of(com.pixelmed.dicom.TagFromName.SeriesInstanceUID, com.pixelmed.dicom.TagFromName.SOPInstanceUID)) {
            var uid = new com.pixelmed.dicom.UniqueIdentifierAttribute(tag);
            uid.addValue(com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(rt, tag) + ".2");
            rt.put(uid);
        }
        Path delivery = Files.createDirectories(dir.resolve("staging/STS_002-corrected"));
        org.cohortflow.intake.deidentify.DicomFiles.write(rt, delivery.resolve("RS-corrected.dcm"));
        Files.move(delivery, dir.resolve("watch/STS_002-corrected"));

        awaitCondition(() -> manager.get("/api/v1/experiments/" + e + "/actions").body().contains("\"from\":\"resegmentation\",\"to\":\"radiomics\""),
                () -> "the corrected RTSTRUCT did not move the experiment: " + manager.get("/api/v1/experiments/" + e + "/scans").body()
                        + "; intake: " + intakeAdmin().get("/api/v1/studies").body());
        JsonNode scans = manager.get("/api/v1/experiments/" + e + "/scans").json();
        String corrected = "";
        for (JsonNode s : scans.get("scans")) {
            if (s.get("label").asText().equals("rtstruct")) {
                corrected = s.get("url").asText();
            }
        }
        assertTrue(!corrected.equals(rejected) && Files.isRegularFile(Path.of(URI.create(corrected))), scans.toString());
        assertEquals(rejected, scans.at("/superseded/0/scan/url").asText(), "the rejected RTSTRUCT stays in the history: " + scans);
        awaitState(e, "mask_review");
        JsonNode runs = manager.get("/api/v1/experiments/" + e + "/callbacks").json();
        List<String> featureSources = new java.util.ArrayList<>();
        for (JsonNode c : runs) {
            if (c.path("name").asText().equals("features") || c.path("name").asText().equals("mask")) {
                // the callback's output is stored as JSON text
                JsonNode output = new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.path("output").asText("{}"));
                featureSources.add(c.path("name").asText() + " " + output.at("/sources/rtstruct").asText());
            }
        }
        assertEquals(List.of("features " + rejected, "mask " + rejected, "features " + corrected, "mask " + corrected), featureSources,
                "the second pass read the corrected RTSTRUCT: " + runs);
        assertTrue(manager.get("/api/v1/experiments/" + e + "/callbacks").body().contains("skipped"), "the open task was skipped");
        JsonNode review = openTask(subject, "study-mask-review");
        answerTask(review.get("id").asLong(), "{\"verdict\":\"accept\"}");
        awaitState(e, "done");
    }

    @Test
    void aRejectedMaskCanBeRunAgainFromTheResegmentationTaskAndThenExcluded() throws Exception {
        long e = id("STS_003");
        String subject = subject("STS_003");
        answer(subject, "study-scan-qc", "{\"quality\":\"usable\"}");
        awaitState(e, "mask_review");
        answer(subject, "study-mask-review", "{\"verdict\":\"resegment\",\"slices_off\":3}");
        awaitState(e, "resegmentation");
        answer(subject, "study-resegment", "{\"decision\":\"rerun\",\"cause\":\"segmentation\"}");
        awaitCondition(() -> manager.get("/api/v1/experiments/" + e + "/actions").body().contains("\"from\":\"resegmentation\",\"to\":\"radiomics\""),
                () -> "the rerun answer did not move the experiment: " + manager.get("/api/v1/experiments/" + e + "/actions").body());
        awaitState(e, "mask_review");
        answer(subject, "study-mask-review", "{\"verdict\":\"exclude\"}");
        awaitState(e, "excluded");

        JsonNode runs = manager.get("/api/v1/experiments/" + e + "/callbacks").json();
        Map<String, Integer> succeeded = new HashMap<>();
        for (JsonNode c : runs) {
            if (c.path("result").asText().equals("success")) {
                succeeded.merge(c.path("name").asText(), 1, Integer::sum);
            }
        }
        assertEquals(2, succeeded.getOrDefault("features", 0), "the features are computed once per pass through 'radiomics': " + runs);
        assertEquals(2, succeeded.getOrDefault("mask", 0), "and the mask shown with them: " + runs);
        assertEquals(1, succeeded.getOrDefault("preview", 0), "the CT is converted once: " + runs);
    }

    @Test
    void anUnusableScanIsExcludedWithoutRunningThePipeline() throws Exception {
        long e = id("STS_004");
        answer(subject("STS_004"), "study-scan-qc", "{\"quality\":\"unusable\",\"problems\":[\"motion\"]}");
        awaitState(e, "excluded");
        assertTrue(!manager.get("/api/v1/experiments/" + e + "/callbacks").body().contains("\"features\""),
                "no pipeline callback for an excluded scan");
    }

    @Test
    void anExperimentWithACtButNoRtstructIsIncomplete() {
        long e = experiment("ct-only", scan("ct", "CT", "folder", url("STS_003", "ct")));
        awaitState(e, "incomplete");
    }

    private static Path cohort() {
        return CohortflowCommandTest.examples().getParent().resolve("../shared/data/sts-cohort/dicom").normalize();
    }

    private HttpTestClient intakeAdmin() {
        return HttpTestClient.anonymous(intake.baseUri()).withPassword("admin", ADMIN_PASSWORD);
    }

    private long id(String original) {
        return experiments.get(original).at("/experiment/id").asLong();
    }

    private String subject(String original) {
        return experiments.get(original).at("/experiment/subject").asText();
    }

    /** The URL of an intake-made experiment's scan. */
    private String url(String original, String label) {
        for (JsonNode s : experiments.get(original).get("scans")) {
            if (s.get("label").asText().equals(label)) {
                return s.get("url").asText();
            }
        }
        throw new AssertionError(original + " has no scan " + label);
    }

    private static String scan(String label, String modality, String kind, String url) {
        return "{\"label\":\"" + label + "\",\"modality\":\"" + modality + "\",\"kind\":\"" + kind + "\",\"url\":"
                + HttpTestClient.quote(url) + "}";
    }

    /** Makes an experiment as the intake does (POST /api/v1/experiments with the pseudonym and the scans). */
    private long experiment(String subject, String... scans) {
        HttpTestClient.Response r = manager.post("/api/v1/experiments", "{\"study\":\"study\",\"subject\":\"" + subject
                + "\",\"label\":\"2.25." + Math.abs((long) subject.hashCode()) + "\",\"scans\":[" + String.join(",", scans) + "]}");
        ok(r);
        return r.json().at("/experiment/id").asLong();
    }

    /** The subject's open task of that template, once it exists. */
    private JsonNode openTask(String subject, String template) {
        JsonNode[] task = {null};
        awaitCondition(() -> {
            JsonNode list = tasksAdmin.get("/api/v1/tasks?project=study&template=" + template + "&status=queued,in_progress&size=200").json();
            for (JsonNode t : list.path("items")) {
                if (t.path("subject").asText(t.at("/content/subject").asText()).equals(subject)) {
                    task[0] = t;
                    return true;
                }
            }
            return false;
        }, () -> "no open '" + template + "' task for " + subject + "; tasks: "
                + tasksAdmin.get("/api/v1/tasks?project=study&size=200").body() + "; governor: "
                + manager.get("/api/v1/experiments?study=study").body());
        JsonNode full = tasksAdmin.get("/api/v1/tasks/" + task[0].get("id").asLong()).json();
        return full.has("content") ? full : task[0];
    }

    /** The reviewer takes the subject's open task of that template and submits the result, as the page does. */
    private JsonNode answer(String subject, String template, String result) {
        JsonNode task = openTask(subject, template);
        answerTask(task.get("id").asLong(), result);
        return task;
    }

    private void answerTask(long task, String result) {
        ok(reviewer.post("/api/v1/tasks/" + task + "/lock", "{}"));
        ok(reviewer.post("/api/v1/tasks/" + task + "/result", "{\"result\":" + result + "}"));
    }

    /** GET as the reviewer, bytes as served. */
    private static byte[] get(String url) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("rita:rita-password".getBytes(StandardCharsets.UTF_8))).build();
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), url + ": " + new String(response.body(), StandardCharsets.UTF_8));
        return response.body();
    }

    private void awaitState(long experiment, String state) {
        awaitCondition(() -> state.equals(manager.get("/api/v1/experiments/" + experiment).json().path("state").asText()),
                () -> "experiment " + experiment + " is in '" + manager.get("/api/v1/experiments/" + experiment).json().path("state").asText()
                        + "', not '" + state + "'; callbacks: " + manager.get("/api/v1/experiments/" + experiment + "/callbacks").body()
                        + "; actions: " + manager.get("/api/v1/experiments/" + experiment + "/actions").body());
    }

    private String cohortTable() {
        try {
            Path csv = export.resolve("study.csv");
            return Files.isRegularFile(csv) ? Files.readString(csv) : "(none)";
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private String cohortTableRow(String subject) {
        return cohortTable().lines().filter(l -> l.contains(subject)).findFirst().orElse("");
    }

    private static void awaitCondition(BooleanSupplier condition, Supplier<String> message) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        if (!condition.getAsBoolean()) {
            throw new AssertionError(message.get());
        }
    }

    private static void ok(HttpTestClient.Response r) {
        assertTrue(r.status() / 100 == 2, r.toString());
    }
}
