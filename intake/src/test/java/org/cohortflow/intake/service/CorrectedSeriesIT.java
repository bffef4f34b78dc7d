package org.cohortflow.intake.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.governance.GovernorService;
import org.cohortflow.intake.IntakeService;
import org.cohortflow.intake.deidentify.DicomFiles;
import org.cohortflow.intake.queue.ObjectState;
import org.cohortflow.intake.testing.IntakeFixture;
import org.cohortflow.intake.testing.IntakeTestData;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.testing.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corrected RTSTRUCT sent by the centre after its study was reported (issue 19): storescu sends the CT phantom
 * (CT + RTSTRUCT) to a real intake, which makes the experiment at a real governor; then a corrected RTSTRUCT (the
 * phantom's, with a new SeriesInstanceUID and SOPInstanceUID) follows, and the intake posts only that series,
 * labelled {@code rtstruct}, to the existing experiment: the old RTSTRUCT is superseded, the experiment moves on.
 * Sending the corrected file again posts nothing new.
 */
class CorrectedSeriesIT {
    private static final String GOVERNOR_PASSWORD = "governor-admin-password";

    @Test
    void aCorrectedRtstructSentLaterSupersedesTheOldOneInTheExistingExperimentAndAResendChangesNothing(@TempDir Path tmp) throws Exception {
        Path phantom = ArchiveTestData.ctPhantomDicom();
        int phantomFiles = IntakeFixture.fileCount(List.of(phantom));
        Path original = IntakeTestData.files(phantom.resolve("mask")).get(0);
        Path corrected = tmp.resolve("corrected/rtstruct.dcm");
        AttributeList l = DicomFiles.read(original);
        for (var tag : List.of(TagFromName.SeriesInstanceUID, TagFromName.SOPInstanceUID)) {
            UniqueIdentifierAttribute a = new UniqueIdentifierAttribute(tag);
            a.addValue(Attribute.getSingleStringValueOrEmptyString(l, tag) + ".2");
            l.put(a);
        }
        DicomFiles.write(l, corrected);

        Path profile = IntakeTestData.profile(tmp, "accept: {modalities: [CT, RTSTRUCT], callingAets: [SITE1]}",
                "scans:", "  - {label: ct, modality: CT}", "  - {label: rtstruct, modality: RTSTRUCT}");
        int dicomPort = OrthancServer.freePort();
        try (RunningService governor = new GovernorService().start(new ServiceConfig("governor", "127.0.0.1", 0,
                tmp.resolve("governor"), null, new BootstrapAdmin("admin", GOVERNOR_PASSWORD), null, Map.of()))) {
            HttpTestClient gov = HttpTestClient.anonymous(governor.baseUri()).withPassword("admin", GOVERNOR_PASSWORD);
            String workflow = String.join("\n", "workflow: corrected", "initial: resegmentation", "states:",
                    "  resegmentation:", "    transitions:",
                    "      - to: radiomics", "        condition: \"scans_added.exists(s, s.label == 'rtstruct' && s.modality == 'RTSTRUCT')\"",
                    "  radiomics: {final: true}", "");
            HttpTestClient.Response w = gov.post("/api/v1/workflows", "{\"yaml\":" + HttpTestClient.quote(workflow) + "}");
            assertEquals(201, w.status(), w.toString());
            assertEquals(201, gov.post("/api/v1/studies", "{\"name\":\"sts-trial\",\"workflow\":\"corrected\"}").status());
            String token = gov.post("/api/v1/tokens", "{\"label\":\"intake\"}").json().get("value").asText();

            ServiceConfig base = IntakeFixture.config(tmp.resolve("intake"), profile, dicomPort, null,
                    DatabaseSettings.h2File(tmp.resolve("intake")));
            Map<String, Object> settings = new HashMap<>(base.settings());
            // Long enough that a study is never complete between two files of one storescu run, even under load.
            settings.put("studyQuietSeconds", "5");
            settings.put("governor", Map.of("url", governor.baseUri().toString(), "token", token, "study", "sts-trial"));
            try (IntakeService.Running intake = new IntakeService().start(base.withSettings(settings))) {
                HttpTestClient admin = HttpTestClient.anonymous(intake.baseUri()).withPassword("admin", IntakeFixture.ADMIN_PASSWORD);

                IntakeFixture.storescu("SITE1", dicomPort, List.of(phantom));
                IntakeFixture.await("the experiment at the governor", 180,
                        () -> gov.get("/api/v1/experiments?study=sts-trial").json().size() == 1);
                JsonNode made = gov.get("/api/v1/experiments?study=sts-trial").json().get(0);
                long e = made.get("id").asLong();
                String study = made.get("label").asText();
                String scansPath = "/api/v1/experiments/" + e + "/scans";
                String oldRt = url(gov.get(scansPath).json().get("scans"), "rtstruct");
                assertEquals("resegmentation", gov.get("/api/v1/experiments/" + e).json().get("state").asText(),
                        "the scans of a new experiment are not 'added' ones");
                int govAudit = gov.get("/api/v1/audit?target=experiment/" + e + "&limit=1000").json().size();

                IntakeFixture.storescu("SITE1", dicomPort, List.of(corrected));
                IntakeFixture.await("the corrected RTSTRUCT moving the experiment on", 180,
                        () -> gov.get("/api/v1/experiments/" + e).json().get("state").asText().equals("radiomics"));
                assertEquals(phantomFiles + 1, intake.count(ObjectState.FORWARDED));
                JsonNode scans = gov.get(scansPath).json();
                String newRt = url(scans.get("scans"), "rtstruct");
                assertNotEquals(oldRt, newRt, scans.toString());
                assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(newRt))), newRt);
                assertEquals(2, scans.get("scans").size(), "only the RTSTRUCT was posted, as 'rtstruct': " + scans);
                assertEquals(1, scans.get("superseded").size(), scans.toString());
                assertEquals(oldRt, scans.at("/superseded/0/scan/url").asText(), scans.toString());
                // the new file is the corrected one: its (de-identified) SOP instance differs from the old one's
                AttributeList stored = DicomFiles.read(Path.of(java.net.URI.create(newRt)));
                AttributeList before = DicomFiles.read(Path.of(java.net.URI.create(oldRt)));
                assertNotEquals(Attribute.getSingleStringValueOrEmptyString(before, TagFromName.SeriesInstanceUID),
                        Attribute.getSingleStringValueOrEmptyString(stored, TagFromName.SeriesInstanceUID));
                String notes = admin.get("/api/v1/audit?target=study/" + study + "&limit=1000").body();
                assertTrue(notes.contains("scans [rtstruct] added to experiment " + e), notes);
                int govAuditAfter = gov.get("/api/v1/audit?target=experiment/" + e + "&limit=1000").json().size();
                assertTrue(govAuditAfter > govAudit, "the supersede and the transition are audited");

                // The centre sends the corrected file again: the study is complete again, and nothing new is posted.
                IntakeFixture.storescu("SITE1", dicomPort, List.of(corrected));
                IntakeFixture.await("the resent study reported again", 180,
                        () -> admin.get("/api/v1/audit?target=study/" + study + "&limit=1000").body().contains("no new series"));
                assertEquals(govAuditAfter, gov.get("/api/v1/audit?target=experiment/" + e + "&limit=1000").json().size(),
                        "the governor heard nothing new");
                assertEquals(1, gov.get(scansPath).json().get("superseded").size());
                assertEquals(newRt, url(gov.get(scansPath).json().get("scans"), "rtstruct"));
            }
        }
    }

    private static String url(JsonNode scans, String label) {
        for (JsonNode s : scans) {
            if (s.get("label").asText().equals(label)) {
                return s.get("url").asText();
            }
        }
        throw new AssertionError("no scan '" + label + "' in " + scans);
    }
}
