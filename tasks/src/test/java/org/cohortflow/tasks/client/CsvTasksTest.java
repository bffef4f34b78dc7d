package org.cohortflow.tasks.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cohortflow.server.testing.TestDatabase;
import org.cohortflow.tasks.template.InvalidTemplateException;
import org.cohortflow.tasks.testing.SharedData;
import org.cohortflow.tasks.testing.TasksFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTasksTest {
    @TempDir
    Path dir;

    @Test
    void oneQcTaskIsCreatedPerRowOfACohortTableWithRelativePathsTakenFromTheTablesFolder() throws Exception {
        Path nifti = SharedData.require("sts-cohort/nifti");
        Path csv = dir.resolve("cohort.csv");
        StringBuilder table = new StringBuilder("subject,modality,ct,mask\n");
        for (String s : List.of("STS_001", "STS_002", "STS_003", "STS_004")) {
            table.append(s).append(",CT,").append(nifti.resolve(s + "/CT_image.nii.gz")).append(",")
                    .append(dir.relativize(nifti.resolve(s + "/CT_mask.nii.gz"))).append("\n");
        }
        Files.writeString(csv, table);
        try (TestDatabase dbs = TestDatabase.h2(); TasksFixture f = TasksFixture.start(dbs.fresh(), dir, Map.of())) {
            f.project("sts");
            TasksClient client = TasksClient.withToken(f.service().baseUri(), f.token("root"));
            assertEquals(1, client.putTemplate(Path.of("examples/sts-ct-qc.yaml")));
            CsvTasks plan = new CsvTasks("sts", "sts-ct-qc", Map.of("ct", "ct", "mask", "mask"), "subject", "modality",
                    List.of("qc-round-1"), 1, null, null);
            for (JsonNode row : plan.rows(csv)) client.createTask(row);
            JsonNode page = f.admin().get("/api/v1/tasks?tag=qc-round-1").json();
            assertEquals(4, page.path("total").asInt());
            assertEquals("STS_004", page.path("items").get(3).path("content").path("subject").asText());
            assertEquals(nifti.resolve("STS_004/CT_mask.nii.gz").toString(),
                    page.path("items").get(3).path("content").path("images").path("mask").asText());
        }
    }

    @Test
    void aRowWithoutItsImageIsReportedWithItsLine() throws Exception {
        Path csv = dir.resolve("cohort.csv");
        Files.writeString(csv, "subject,ct\nS1,/a.nii.gz\nS2,\n");
        CsvTasks plan = new CsvTasks("p", "t", Map.of("ct", "ct"), "subject", null, List.of(), 1, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan.rows(csv));
        assertEquals(csv + ":3: column 'ct' is empty", e.getMessage());
    }

    @Test
    void aTemplateIsCheckedLocallyBeforeItIsSent() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: bad\nimagez: []\n");
        TasksClient client = TasksClient.withToken(java.net.URI.create("http://127.0.0.1:9"), "unused");
        InvalidTemplateException e = assertThrows(InvalidTemplateException.class, () -> client.putTemplate(bad));
        assertTrue(e.getMessage().contains(bad + ":2:1: imagez: unknown key"), e.getMessage());
    }
}
