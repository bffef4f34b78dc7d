package org.cohortflow.intake.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.archive.dicomweb.DicomJson;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.DicomWebSettings;
import org.cohortflow.archive.dicomweb.QidoQuery;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.intake.deidentify.CsvIdMap;
import org.cohortflow.intake.deidentify.Deidentifier;
import org.cohortflow.intake.profile.ProfileReader;
import org.cohortflow.intake.testing.IntakeFixture;
import org.cohortflow.intake.testing.IntakeProcess;
import org.cohortflow.intake.testing.IntakeTestData;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.PostgresServer;
import org.cohortflow.server.testing.ServiceJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of the intake in the middle of a storescu transfer: every acknowledged object still arrives, once. */
class KilledIntakeIT {
    private static final Auth.Basic ORTHANC = new Auth.Basic(OrthancServer.USER, OrthancServer.PASSWORD);

    @Test
    void onH2EveryObjectAcknowledgedBeforeAKillIsForwardedExactlyOnceAfterTheRestart(@TempDir Path tmp) throws Exception {
        killDuringTransfer(tmp, DatabaseSettings.h2File(tmp.resolve("intake")));
    }

    @Test
    void onPostgresEveryObjectAcknowledgedBeforeAKillIsForwardedExactlyOnceAfterTheRestart(@TempDir Path tmp)
            throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            killDuringTransfer(tmp, pg.createDatabase());
        }
    }

    private void killDuringTransfer(Path tmp, DatabaseSettings db) throws Exception {
        Path series = ArchiveTestData.stsDicom().resolve("STS_001/CT/image");
        int total = IntakeFixture.fileCount(List.of(series));
        Path profile = IntakeTestData.profile(tmp);
        Deidentifier uids = new Deidentifier(ProfileReader.read(profile), new CsvIdMap("X-"));
        int dicomPort = OrthancServer.freePort();
        Path data = tmp.resolve("intake");
        try (OrthancServer orthanc = OrthancServer.start(tmp.resolve("orthanc"))) {
            DicomWebClient archive = new DicomWebClient(DicomWebSettings.of(orthanc.dicomWebRoot(), ORTHANC));
            List<Path> acknowledged;
            try (ServiceJvm intake = IntakeProcess.start(data, profile, dicomPort, orthanc.dicomWebRoot(), ORTHANC, db)) {
                acknowledged = sendAndKillAfter(series, dicomPort, 15, intake);
            }
            assertTrue(acknowledged.size() >= 15 && acknowledged.size() < total,
                    "the kill came in the middle of the transfer: " + acknowledged.size() + " of " + total + " acknowledged");
            Set<String> expected = new HashSet<>();
            for (Path f : acknowledged) {
                AttributeList list = new AttributeList();
                list.read(f.toFile());
                expected.add(uids.replacementUid(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID)));
            }

            try (ServiceJvm intake = IntakeProcess.start(data, profile, dicomPort, orthanc.dicomWebRoot(), ORTHANC, db)) {
                IntakeFixture.await("every acknowledged object in Orthanc after the restart", 180,
                        () -> sopUids(archive).containsAll(expected));
                HttpTestClient api = HttpTestClient.anonymous(intake.baseUri()).withPassword("admin", IntakeFixture.ADMIN_PASSWORD);
                IntakeFixture.await("the queue drained", 120, () -> {
                    var counts = api.get("/api/v1/status").json().get("counts");
                    return counts.get("RECEIVED").asLong() == 0 && counts.get("DEIDENTIFIED").asLong() == 0;
                });
                var counts = api.get("/api/v1/status").json().get("counts");
                long forwarded = counts.get("FORWARDED").asLong();
                assertEquals(0, counts.get("QUARANTINED").asLong(), counts.toString());
                assertTrue(forwarded == acknowledged.size() || forwarded == acknowledged.size() + 1,
                        "each acknowledged object (and at most the one in flight) forwarded once: " + forwarded);
                assertEquals(forwarded, orthanc.instanceCount(), "Orthanc holds each forwarded object once");

                // The site sends the series again: everything arrives, still one copy of each.
                IntakeFixture.storescu("SITE1", dicomPort, List.of(series));
                IntakeFixture.await("the whole series in Orthanc", 180, () -> orthanc.instanceCount() == total);
                IntakeFixture.await("the queue drained again", 120, () -> {
                    var c = api.get("/api/v1/status").json().get("counts");
                    return c.get("RECEIVED").asLong() == 0 && c.get("DEIDENTIFIED").asLong() == 0;
                });
                assertEquals(total, orthanc.instanceCount());
            }
        }
    }

    /** Runs storescu -v over a series, kills the intake once {@code n} stores were acknowledged; returns the acknowledged files. */
    private static List<Path> sendAndKillAfter(Path series, int port, int n, ServiceJvm intake) throws Exception {
        Process p = new ProcessBuilder("storescu", "-v", "-aet", "SITE1", "-aec", "INTAKE", "+sd", "+r", "-nh",
                "127.0.0.1", Integer.toString(port), series.toString()).redirectErrorStream(true).start();
        List<Path> acknowledged = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        boolean killed = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            Path sending = null;
            while ((line = out.readLine()) != null) {
                log.append(line).append('\n');
                if (line.contains("Sending file: ")) {
                    sending = Path.of(line.substring(line.indexOf("Sending file: ") + 14).trim());
                } else if (line.contains("Received Store Response (Success)") && sending != null) {
                    acknowledged.add(sending);
                    if (!killed && acknowledged.size() >= n) {
                        intake.kill9();
                        killed = true;
                    }
                }
            }
        }
        p.waitFor(60, TimeUnit.SECONDS);
        if (!killed) {
            throw new AssertionError("storescu finished before " + n + " acknowledgements:\n" + log);
        }
        return acknowledged;
    }

    private static Set<String> sopUids(DicomWebClient archive) {
        Set<String> out = new HashSet<>();
        for (DicomJson i : archive.searchAll(DicomWebClient.Level.INSTANCES, QidoQuery.all(), 1000)) {
            out.add(i.string(DicomJson.SOP_UID));
        }
        return out;
    }
}
