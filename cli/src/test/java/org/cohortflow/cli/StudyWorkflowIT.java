package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.cohortflow.governance.Governor;
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
 * The example study's workflow ({@code examples/study/workflow.yaml}) in the real study governor and the
 * real task service, both in this JVM on embedded H2: experiments are made over REST as the intake makes
 * them (but with scans labelled 'ct' and 'mask', NIfTI files of the shared STS cohort: see examples/study/README.md), the task callbacks go to the task service, where a reviewer answers them over its REST API as the
 * page does, the task service calls the governor back, and the radiomics pipeline runs for real (local
 * executor). Each subject takes a different branch of the workflow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StudyWorkflowIT {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String ADMIN_PASSWORD = "study-admin-password";
    private Path dir;
    private RunningService tasks;
    private Governor governor;
    private HttpTestClient tasksAdmin;
    private HttpTestClient reviewer;
    private HttpTestClient manager;
    private Path cohort;
    private Path corrupt;
    private Path export;

    @BeforeAll
    void startTheServicesWithTheStudy(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Path study = CohortflowCommandTest.examples().resolve("study");
        cohort = CohortflowCommandTest.examples().getParent().resolve("../shared/data/sts-cohort/nifti").normalize();
        assertTrue(Files.isRegularFile(cohort.resolve("STS_001/CT_image.nii.gz")), "the shared STS cohort is missing at " + cohort);
        corrupt = Files.createDirectories(dir.resolve("corrupt"));
        export = dir.resolve("export");

        Path tasksData = dir.resolve("tasks");
        tasks = new TasksService().start(new ServiceConfig("tasks", "127.0.0.1", 0, tasksData, DatabaseSettings.h2File(tasksData),
                new BootstrapAdmin("admin", ADMIN_PASSWORD), null,
                Map.of("dataRoots", List.of(cohort.toString(), corrupt.toString()), "callbackFirstRetrySeconds", 1, "callbackPollMillis", 100)));
        tasksAdmin = HttpTestClient.anonymous(tasks.baseUri()).withPassword("admin", ADMIN_PASSWORD);
        ok(tasksAdmin.post("/api/v1/projects", "{\"name\":\"study\",\"description\":\"the example study\"}"));
        for (String t : List.of("study-scan-qc", "study-mask-review", "study-inspect")) {
            ok(tasksAdmin.put("/api/v1/templates/" + t, Files.readString(study.resolve("templates/" + t + ".yaml"))));
        }
        ok(tasksAdmin.post("/api/v1/users", "{\"name\":\"rita\",\"password\":\"rita-password\",\"roles\":[\"viewer\"]}"));
        ok(tasksAdmin.put("/api/v1/reviewers/rita", "{\"weight\":1}"));
        reviewer = HttpTestClient.anonymous(tasks.baseUri()).withPassword("rita", "rita-password");
        // the governor's own account at the task service: a manager with a token, as docs/tasks.md sets it up
        ok(tasksAdmin.post("/api/v1/users", "{\"name\":\"governor\",\"password\":\"governor-password\",\"roles\":[\"manager\"]}"));
        String tasksToken = HttpTestClient.anonymous(tasks.baseUri()).withPassword("governor", "governor-password")
                .post("/api/v1/tokens", "{\"label\":\"governor\"}").json().get("value").asText();

        Path governorData = dir.resolve("governor");
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
    }

    @AfterAll
    void stop() {
        if (governor != null) {
            governor.close();
        }
        if (tasks != null) {
            tasks.close();
        }
    }

    @Test
    void aUsableScanWithAnAcceptedMaskEndsDoneWithItsFeaturesInTheCohortTable() throws Exception {
        long e = experiment("STS_001", ct("STS_001"), mask("STS_001"));
        answer("STS_001", "study-scan-qc", "{\"quality\":\"usable\"}");
        awaitState(e, "mask_review");
        answer("STS_001", "study-mask-review", "{\"verdict\":\"accept\"}");
        awaitState(e, "done");

        String features = manager.get("/api/v1/experiments/" + e + "/variables").body();
        assertTrue(features.contains("STS_001") && features.contains(".json"), features);
        awaitCondition(() -> cohortTableRow("STS_001").contains("done"), () -> "cohort table: " + cohortTable());
    }

    @Test
    void aCorruptScanFailsThePipelineAndAnInspectTaskExcludesIt() throws Exception {
        Path broken = Files.write(corrupt.resolve("CT_image.nii.gz"), "not a NIfTI file".getBytes());
        long e = experiment("corrupt", broken.toUri().toString(), mask("STS_002"));
        answer("corrupt", "study-scan-qc", "{\"quality\":\"usable\"}");
        awaitState(e, "pipeline_failed");
        String callbacks = manager.get("/api/v1/experiments/" + e + "/callbacks").body();
        assertTrue(callbacks.contains("failed"), callbacks);
        answer("corrupt", "study-inspect", "{\"decision\":\"exclude\",\"cause\":\"bad input\"}");
        awaitState(e, "excluded");
        awaitCondition(() -> cohortTableRow("corrupt").contains("excluded"), () -> "cohort table: " + cohortTable());
    }

    @Test
    void aRejectedMaskGoesToResegmentationThenRunsTheFeaturesAgainAndEndsDone() throws Exception {
        long e = experiment("STS_002", ct("STS_002"), mask("STS_002"));
        answer("STS_002", "study-scan-qc", "{\"quality\":\"usable\"}");
        awaitState(e, "mask_review");
        answer("STS_002", "study-mask-review", "{\"verdict\":\"resegment\",\"slices_off\":3}");
        awaitState(e, "resegmentation");
        answer("STS_002", "study-inspect", "{\"decision\":\"rerun\",\"cause\":\"segmentation\"}");
        awaitState(e, "mask_review");
        answer("STS_002", "study-mask-review", "{\"verdict\":\"accept\"}");
        awaitState(e, "done");

        JsonNode runs = manager.get("/api/v1/experiments/" + e + "/callbacks").json();
        long pipelineRuns = 0;
        for (JsonNode c : runs.isArray() ? runs : runs.path("items")) {
            if (c.path("name").asText().equals("features") && c.toString().contains("success")) {
                pipelineRuns++;
            }
        }
        assertEquals(2, pipelineRuns, "the features are computed once per pass through 'radiomics': " + runs);
    }

    @Test
    void aRejectedMaskCanExcludeTheSubject() throws Exception {
        long e = experiment("STS_003", ct("STS_003"), mask("STS_003"));
        answer("STS_003", "study-scan-qc", "{\"quality\":\"usable\"}");
        awaitState(e, "mask_review");
        answer("STS_003", "study-mask-review", "{\"verdict\":\"exclude\"}");
        awaitState(e, "excluded");
    }

    @Test
    void anUnusableScanIsExcludedWithoutRunningThePipeline() throws Exception {
        long e = experiment("unusable", ct("STS_003"), mask("STS_003"));
        answer("unusable", "study-scan-qc", "{\"quality\":\"unusable\",\"problems\":[\"motion\"]}");
        awaitState(e, "excluded");
        assertTrue(!manager.get("/api/v1/experiments/" + e + "/callbacks").body().contains("\"features\""),
                "no pipeline callback for an excluded scan");
    }

    @Test
    void anExperimentWithOneSeriesIsIncomplete() {
        long e = experiment("one-series", ct("STS_001"));
        awaitState(e, "incomplete");
    }

    private String ct(String subject) {
        return cohort.resolve(subject).resolve("CT_image.nii.gz").toUri().toString();
    }

    private String mask(String subject) {
        return cohort.resolve(subject).resolve("CT_mask.nii.gz").toUri().toString();
    }

    /** Makes an experiment as the intake does (POST /api/v1/experiments with the pseudonym and the scans). */
    private long experiment(String subject, String ctUrl, String... maskUrl) {
        List<String> scans = new ArrayList<>();
        scans.add("{\"label\":\"ct\",\"modality\":\"CT\",\"kind\":\"file\",\"url\":\"" + ctUrl + "\"}");
        for (String m : maskUrl) {
            scans.add("{\"label\":\"mask\",\"modality\":\"SEG\",\"kind\":\"file\",\"url\":\"" + m + "\"}");
        }
        HttpTestClient.Response r = manager.post("/api/v1/experiments", "{\"study\":\"study\",\"subject\":\"" + subject
                + "\",\"label\":\"1.2.826.0.1.3680043.2.1125." + Math.abs(subject.hashCode()) + "\",\"scans\":[" + String.join(",", scans) + "]}");
        ok(r);
        return r.json().at("/experiment/id").asLong();
    }

    /** The reviewer takes the subject's open task of that template and submits the result, as the page does. */
    private void answer(String subject, String template, String result) {
        long[] task = {-1};
        awaitCondition(() -> {
            JsonNode list = tasksAdmin.get("/api/v1/tasks?project=study&template=" + template + "&status=queued,in_progress&size=200").json();
            for (JsonNode t : list.path("items")) {
                if (t.path("subject").asText(t.at("/content/subject").asText()).equals(subject)) {
                    task[0] = t.path("id").asLong();
                    return true;
                }
            }
            return false;
        }, () -> "no open '" + template + "' task for " + subject + "; tasks: "
                + tasksAdmin.get("/api/v1/tasks?project=study&size=200").body() + "; governor: "
                + manager.get("/api/v1/experiments?study=study").body());
        ok(reviewer.post("/api/v1/tasks/" + task[0] + "/lock", "{}"));
        ok(reviewer.post("/api/v1/tasks/" + task[0] + "/result", "{\"result\":" + result + "}"));
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
                Thread.sleep(100);
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
