package org.cohortflow.governance.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cohortflow.governance.GovernorFixture;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;
import org.cohortflow.imaging.synth.SyntheticSubject;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline} callbacks running {@code examples/radiomics/dicom-ct.yaml} on a synthetic CT subject (its
 * DICOM series and RTSTRUCT registered as the experiment's scans) on the local executor and on Spark
 * {@code local[2]}; the experiment moves on the run's result, and a run that fails moves it to 'failed'.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineCallbackIT {
    private static final Path NETWORK = Path.of("../examples/radiomics/dicom-ct.yaml").toAbsolutePath().normalize();
    private TestDatabase dbs;
    private GovernorFixture gov;
    private Path subject;
    private Path dir;

    @BeforeAll
    void start(@TempDir Path folder) throws Exception {
        dir = folder;
        assertTrue(Files.isRegularFile(NETWORK), "missing " + NETWORK);
        Path synth = dir.resolve("synth");
        new SyntheticCohort(SynthOptions.defaults(), 11).write(synth, 1, 1);
        subject = SyntheticCohort.dicomRoot(synth).resolve(SyntheticCohort.subjectId(0));
        dbs = TestDatabase.h2();
        gov = new GovernorFixture(dbs.fresh(), dir.resolve("governor"));
        for (String executor : List.of("local", "spark")) {
            gov.studyWithWorkflow("radiomics-" + executor, """
                    workflow: radiomics-EXEC
                    initial: imaging
                    variables:
                      roi: string
                      features_csv: string
                    states:
                      imaging:
                        callbacks:
                          - name: features
                            type: pipeline
                            args:
                              network: "NETWORK"
                              sources: {ct: "scan:ct", rtstruct: "scan:rtstruct", roi: "var:roi"}
                              executor: EXEC
                              master: "local[2]"
                              outputs: {features_csv: cohort_csv}
                            runTimeout: 10m
                        transitions:
                          - to: analysed
                            condition: "callbacks.features.result == 'success' && callbacks.features.output.failures == 0"
                          - to: failed
                      analysed: {final: true}
                      failed: {final: true}
                    """.replace("EXEC", executor).replace("NETWORK", NETWORK.toString()));
        }
    }

    @AfterAll
    void stop() {
        gov.close();
        dbs.close();
    }

    private long experiment(String study, String label, String ctUrl) {
        String body = "{\"study\":\"" + study + "\",\"subject\":\"" + SyntheticCohort.subjectId(0) + "\",\"label\":\"" + label + "\","
                + "\"variables\":{\"roi\":\"" + SyntheticSubject.ROI_NAME + "\"},\"scans\":["
                + "{\"label\":\"ct\",\"modality\":\"CT\",\"kind\":\"folder\",\"url\":" + HttpTestClient.quote(ctUrl) + "},"
                + "{\"label\":\"rtstruct\",\"modality\":\"RTSTRUCT\",\"kind\":\"file\",\"url\":"
                + HttpTestClient.quote(subject.resolve(SyntheticCohort.RTSTRUCT_FILE).toUri().toString()) + "}]}";
        HttpTestClient.Response r = gov.manager.post("/api/v1/experiments", body);
        assertEquals(201, r.status(), r.toString());
        return r.json().at("/experiment/id").asLong();
    }

    /** Waits for either final state, then requires the expected one (so a failure shows at once). */
    private void awaitEnd(long e, String expected, Duration within) {
        GovernorFixture.await(() -> List.of("analysed", "failed").contains(gov.state(e)), within, () -> "still " + gov.state(e));
        assertEquals(expected, gov.state(e), gov.viewer.get("/api/v1/experiments/" + e + "/callbacks").body());
    }

    private void assertFeaturesComputed(long e) throws Exception {
        JsonNode vars = gov.viewer.get("/api/v1/experiments/" + e + "/variables").json();
        Path csv = Path.of(URI.create(vars.get("features_csv").asText()));
        List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.get(0).startsWith("sample,roi,family,feature"), lines.get(0));
        long rows = lines.stream().filter(l -> l.startsWith(SyntheticCohort.subjectId(0) + "_")).count();
        assertTrue(rows > 50, "expected the subject's IBSI features, found " + rows + " rows: " + lines.subList(0, Math.min(5, lines.size())));
        JsonNode cb = gov.viewer.get("/api/v1/experiments/" + e + "/callbacks").json().get(0);
        assertEquals("success", cb.get("result").asText());
        Path report = Path.of(URI.create(gov.viewer.get("/api/v1/experiments/" + e + "/callbacks").json().get(0)
                .get("output").asText().replaceAll(".*\"report\":\"([^\"]+)\".*", "$1")));
        assertTrue(Files.isRegularFile(report), "no run report at " + report);
    }

    @Test
    void a_pipeline_on_the_local_executor_computes_features_and_moves_the_experiment_on() throws Exception {
        long e = experiment("radiomics-local", "ct-local", subject.resolve(SyntheticCohort.CT_DIR).toUri().toString());
        awaitEnd(e, "analysed", Duration.ofMinutes(4));
        assertFeaturesComputed(e);
    }

    @Test
    void a_pipeline_on_spark_local_2_computes_features_and_moves_the_experiment_on() throws Exception {
        long e = experiment("radiomics-spark", "ct-spark", subject.resolve(SyntheticCohort.CT_DIR).toUri().toString());
        awaitEnd(e, "analysed", Duration.ofMinutes(5));
        assertFeaturesComputed(e);
        assertTrue(gov.viewer.get("/api/v1/experiments/" + e + "/callbacks").body().contains("\\\"executor\\\":\\\"spark\\\""));
    }

    @Test
    void a_pipeline_that_fails_moves_the_experiment_to_failed_with_the_reason() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-series"));
        long e = experiment("radiomics-local", "ct-broken", empty.toUri().toString());
        awaitEnd(e, "failed", Duration.ofMinutes(4));
        JsonNode cb = gov.viewer.get("/api/v1/experiments/" + e + "/callbacks").json().get(0);
        assertEquals("failed", cb.get("result").asText());
        assertTrue(cb.get("message").asText().contains("pipeline radiomics-dicom-ct failed"), cb.toString());
    }
}
