package org.cohortflow.intake.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.archive.dicomweb.DicomJson;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.DicomWebSettings;
import org.cohortflow.archive.dicomweb.QidoQuery;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.intake.IntakeService;
import org.cohortflow.intake.queue.ObjectState;
import org.cohortflow.intake.testing.IntakeFixture;
import org.cohortflow.intake.testing.IntakeTestData;
import org.cohortflow.server.config.DatabaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dcmtk's storescu sends the STS cohort and the IBSI CT phantom to the intake's SCP; they arrive de-identified
 * in a real Orthanc, which pydicom then checks independently.
 */
class ReceiveDeidentifyForwardIT {

    @Test
    void storescuSendsTheCohortAndItArrivesDeidentifiedInOrthancOnceEvenWhenSentTwice(@TempDir Path tmp) throws Exception {
        List<Path> inputs = List.of(ArchiveTestData.stsDicom(), ArchiveTestData.ctPhantomDicom());
        int expected = IntakeFixture.fileCount(inputs);
        Path profile = IntakeTestData.profile(tmp, "options: [retainLongitudinalModifiedDates]", "dates: {maxShiftDays: 100}");
        int dicomPort = OrthancServer.freePort();
        try (OrthancServer orthanc = OrthancServer.start(tmp.resolve("orthanc"));
             IntakeService.Running intake = new IntakeService().start(IntakeFixture.config(tmp.resolve("intake"), profile,
                     dicomPort, orthanc, DatabaseSettings.h2File(tmp.resolve("intake"))))) {
            IntakeFixture.storescu("SITE1", dicomPort, inputs);
            IntakeFixture.await(expected + " objects forwarded", 300, () -> intake.count(ObjectState.FORWARDED) == expected);
            assertEquals(0, intake.count(ObjectState.QUARANTINED));
            assertEquals(expected, orthanc.instanceCount());

            // The phantom again: the same UIDs, so Orthanc still holds one copy of each.
            IntakeFixture.storescu("SITE1", dicomPort, List.of(ArchiveTestData.ctPhantomDicom()));
            int phantom = IntakeFixture.fileCount(List.of(ArchiveTestData.ctPhantomDicom()));
            IntakeFixture.await("the phantom forwarded again", 120,
                    () -> intake.count(ObjectState.FORWARDED) == expected + phantom);
            assertEquals(expected, orthanc.instanceCount(), "sending the same input twice gives the same objects");

            Path retrieved = tmp.resolve("retrieved");
            DicomWebClient client = new DicomWebClient(DicomWebSettings.of(orthanc.dicomWebRoot(),
                    new Auth.Basic(OrthancServer.USER, OrthancServer.PASSWORD)));
            for (DicomJson s : client.searchAll(DicomWebClient.Level.SERIES, QidoQuery.all(), 100)) {
                client.retrieveSeries(s.string(DicomJson.STUDY_UID), s.string(DicomJson.SERIES_UID),
                        retrieved.resolve(s.string(DicomJson.SERIES_UID)));
            }
            assertEquals(expected, IntakeTestData.files(retrieved).size());
            String report = IntakeTestData.check(inputs, retrieved, "RLT", 100);
            assertTrue(report.contains(" 0 failures"), report);
        }
    }
}
