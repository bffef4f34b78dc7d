package org.cohortflow.intake.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SpecificCharacterSet;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
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
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.testing.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad inputs end in quarantine with their reason; admins list, release and delete them over REST; non-ASCII
 * character sets are de-identified; complete studies reach a real study governor as experiments.
 */
class QuarantineAndGovernorIT {
    private static final String GOVERNOR_PASSWORD = "governor-admin-password";

    @Test
    void badInputsAreQuarantinedWithTheirReasonAndCompleteStudiesReachTheGovernor(@TempDir Path tmp) throws Exception {
        Path phantom = ArchiveTestData.ctPhantomDicom();
        int phantomFiles = IntakeFixture.fileCount(List.of(phantom));
        List<Path> ct = IntakeTestData.files(phantom.resolve("image"));
        Path bad = tmp.resolve("bad");
        Path noPatientId = variant(ct.get(0), bad.resolve("no-id.dcm"), l -> l.remove(TagFromName.PatientID));
        Path burnedIn = variant(ct.get(1), bad.resolve("burned.dcm"), l -> put(l, new CodeStringAttribute(
                new com.pixelmed.dicom.AttributeTag(0x0028, 0x0301)), "YES"));
        Path utf8 = variant(ct.get(2), bad.resolve("utf8.dcm"), l -> foreign(l, "ISO_IR 192", "Müller^Jürgen", "MÜLLER-1", "9"));
        Path latin1 = variant(ct.get(3), bad.resolve("latin1.dcm"), l -> foreign(l, "ISO_IR 100", "Ødegård^Åse", "ØDEGÅRD-2", "8"));
        Path pet = IntakeTestData.files(ArchiveTestData.stsDicom().resolve("STS_001/PET/image")).get(0);

        // The phantom's series have no SeriesDescription: the first rule never matches, the CT falls to the second.
        Path profile = IntakeTestData.profile(tmp, "accept: {modalities: [CT, RTSTRUCT], callingAets: [SITE1]}",
                "scans:", "  - {label: planning-ct, modality: CT, seriesDescription: \"PLANNING.*\"}",
                "  - {label: ct, modality: CT}", "  - {label: rtstruct, modality: RTSTRUCT}");
        int dicomPort = OrthancServer.freePort();
        try (RunningService governor = new GovernorService().start(new ServiceConfig("governor", "127.0.0.1", 0,
                tmp.resolve("governor"), null, new BootstrapAdmin("admin", GOVERNOR_PASSWORD), null, Map.of()))) {
            HttpTestClient gov = HttpTestClient.anonymous(governor.baseUri()).withPassword("admin", GOVERNOR_PASSWORD);
            assertEquals(201, gov.post("/api/v1/workflows", "{\"yaml\":" + HttpTestClient.quote(
                    "workflow: arrivals\ninitial: arrived\nstates:\n  arrived:\n    final: true\n") + "}").status());
            assertEquals(201, gov.post("/api/v1/studies", "{\"name\":\"sts-trial\",\"workflow\":\"arrivals\"}").status());
            String token = gov.post("/api/v1/tokens", "{\"label\":\"intake\"}").json().get("value").asText();

            ServiceConfig base = IntakeFixture.config(tmp.resolve("intake"), profile, dicomPort, null,
                    DatabaseSettings.h2File(tmp.resolve("intake")));
            Map<String, Object> settings = new HashMap<>(base.settings());
            // Long enough that a study is never complete between two files of one storescu run, even under load.
            settings.put("studyQuietSeconds", "5");
            settings.put("governor", Map.of("url", governor.baseUri().toString(), "token", token, "study", "sts-trial"));
            try (IntakeService.Running intake = new IntakeService().start(base.withSettings(settings))) {
                intake.kit().database().useTransaction(h -> intake.kit().users().create(h, "viewer", "viewer-password",
                        EnumSet.of(Role.VIEWER)));
                HttpTestClient admin = HttpTestClient.anonymous(intake.baseUri()).withPassword("admin", IntakeFixture.ADMIN_PASSWORD);
                HttpTestClient viewer = HttpTestClient.anonymous(intake.baseUri()).withPassword("viewer", "viewer-password");

                IntakeFixture.storescu("SITE1", dicomPort, List.of(phantom, noPatientId, burnedIn, utf8, latin1, pet));
                IntakeFixture.storescu("SITE2", dicomPort, List.of(ct.get(4)));
                IntakeFixture.await("everything settled", 180, () -> intake.count(ObjectState.FORWARDED) == phantomFiles + 2
                        && intake.count(ObjectState.QUARANTINED) == 4);

                JsonNode quarantine = viewer.get("/api/v1/quarantine").json();
                Map<String, Long> byReason = new HashMap<>();
                for (JsonNode q : quarantine) {
                    byReason.put(q.get("reason").asText(), q.get("id").asLong());
                    assertFalse(q.get("detail").asText().isBlank(), q.toString());
                }
                assertEquals(java.util.Set.of("NO_PATIENT_ID", "BURNED_IN", "FILTERED", "SENDER"), byReason.keySet(),
                        quarantine.toString());

                long burned = byReason.get("BURNED_IN");
                assertEquals(403, viewer.post("/api/v1/quarantine/" + burned + "/release", "{}").status());
                assertEquals(200, admin.post("/api/v1/quarantine/" + burned + "/release", "{}").status());
                IntakeFixture.await("the released object forwarded", 60,
                        () -> intake.count(ObjectState.FORWARDED) == phantomFiles + 3);
                assertEquals(409, admin.post("/api/v1/quarantine/" + burned + "/release", "{}").status());
                assertEquals(404, admin.post("/api/v1/quarantine/999999/release", "{}").status());
                assertEquals(403, viewer.delete("/api/v1/quarantine/" + byReason.get("SENDER")).status());
                assertEquals(204, admin.delete("/api/v1/quarantine/" + byReason.get("SENDER")).status());
                assertEquals(1, intake.count(ObjectState.DELETED));
                JsonNode audit = admin.get("/api/v1/audit?target=object/" + burned).json();
                assertTrue(audit.toString().contains("quarantine.release") && audit.toString().contains("\"admin\""),
                        audit.toString());

                assertEquals(403, viewer.get("/api/v1/idmap").status());
                String ids = admin.get("/api/v1/idmap").body();
                assertTrue(ids.contains("MÜLLER-1") && ids.contains("ØDEGÅRD-2"), ids);
                HttpTestClient.Response page = viewer.get("/");
                assertEquals(200, page.status());
                assertTrue(page.body().contains("Quarantine") && page.body().contains("NO_PATIENT_ID"), page.body());

                // Non-ASCII character sets: de-identified, nothing of the names left.
                List<Path> stored = IntakeTestData.files(tmp.resolve("intake/store"));
                int foreign = 0;
                for (Path f : stored) {
                    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    String utf = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                    for (String s : List.of("Müller", "Jürgen", "MÜLLER", "Ødegård", "ØDEGÅRD", "Köln")) {
                        assertFalse(text.contains(s) || utf.contains(s), f + " contains " + s);
                    }
                    AttributeList l = DicomFiles.read(f);
                    String cs = Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SpecificCharacterSet);
                    if (cs.equals("ISO_IR 192") || cs.equals("ISO_IR 100")) {
                        foreign++;
                        assertEquals(Attribute.getSingleStringValueOrEmptyString(l, TagFromName.PatientID),
                                Attribute.getSingleStringValueOrEmptyString(l, TagFromName.PatientName));
                    }
                }
                assertEquals(2, foreign);

                // Three studies complete (the phantom's and the two foreign ones): three experiments at the governor.
                IntakeFixture.await("three experiments at the governor", 120,
                        () -> gov.get("/api/v1/experiments?study=sts-trial").json().size() == 3);
                JsonNode experiments = gov.get("/api/v1/experiments?study=sts-trial").json();
                List<String> labels = new ArrayList<>();
                experiments.forEach(e -> labels.add(e.toString()));
                assertTrue(labels.stream().anyMatch(e -> e.contains("STS-")), labels.toString());
                long phantomExperiment = -1;
                for (JsonNode e : experiments) {
                    JsonNode full = gov.get("/api/v1/experiments/" + e.get("id").asLong()).json();
                    if (full.get("scans").size() == 2) {
                        phantomExperiment = e.get("id").asLong();
                        Map<String, String> modalityByLabel = new HashMap<>();
                        Path store = tmp.resolve("intake/store").toRealPath();
                        for (JsonNode s : full.get("scans")) {
                            Path where = Path.of(java.net.URI.create(s.get("url").asText()));
                            if (s.get("modality").asText().equals("RTSTRUCT")) {
                                // a series of one RTSTRUCT is that object: STORE/PSEUDONYM/STUDY/SERIES/SOP.dcm
                                assertEquals("file", s.get("kind").asText(), s.toString());
                                assertTrue(Files.isRegularFile(where), s.toString());
                                assertEquals(store, where.getParent().getParent().getParent().getParent().toRealPath());
                            } else {
                                // the CT is its series folder: STORE/PSEUDONYM/STUDY/SERIES
                                assertEquals("folder", s.get("kind").asText(), s.toString());
                                assertTrue(Files.isDirectory(where), s.toString());
                                assertEquals(store, where.getParent().getParent().getParent().toRealPath());
                            }
                            modalityByLabel.put(s.get("label").asText(), s.get("modality").asText());
                        }
                        assertEquals(Map.of("ct", "CT", "rtstruct", "RTSTRUCT"), modalityByLabel,
                                "the profile's scan rules label the series: " + full);
                    } else {
                        // one CT slice of a foreign study: labelled by the rule too
                        assertEquals("ct", full.get("scans").get(0).get("label").asText(), full.toString());
                    }
                }
                assertTrue(phantomExperiment > 0, "the phantom's experiment has its CT and RTSTRUCT series: " + experiments);
            }
        }
    }

    private interface Change {
        void apply(AttributeList list) throws Exception;
    }

    private static Path variant(Path from, Path to, Change change) throws Exception {
        AttributeList l = DicomFiles.read(from);
        change.apply(l);
        // A new instance: it must not be mistaken for the phantom's own.
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SOPInstanceUID) + ".1");
        DicomFiles.write(l, to);
        return to;
    }

    private static void foreign(AttributeList l, String charset, String name, String id, String suffix) throws Exception {
        put(l, new CodeStringAttribute(TagFromName.SpecificCharacterSet), charset);
        SpecificCharacterSet cs = new SpecificCharacterSet(new String[] {charset});
        put(l, new PersonNameAttribute(TagFromName.PatientName, cs), name);
        put(l, new LongStringAttribute(TagFromName.PatientID, cs), id);
        put(l, new LongStringAttribute(TagFromName.InstitutionName, cs), "Klinik Köln");
        for (var tag : List.of(TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID)) {
            put(l, new UniqueIdentifierAttribute(tag), Attribute.getSingleStringValueOrEmptyString(l, tag) + "." + suffix);
        }
    }

    private static void put(AttributeList l, Attribute a, String value) throws Exception {
        a.addValue(value);
        l.put(a);
    }
}
