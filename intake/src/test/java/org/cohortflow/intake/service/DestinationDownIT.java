package org.cohortflow.intake.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.intake.IntakeService;
import org.cohortflow.intake.queue.ObjectState;
import org.cohortflow.intake.testing.IntakeFixture;
import org.cohortflow.intake.testing.IntakeTestData;
import org.cohortflow.server.config.DatabaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive is down while a site sends: the intake keeps everything and forwards it once the archive is back. */
class DestinationDownIT {

    @Test
    void objectsReceivedWhileTheArchiveIsDownAreForwardedWhenItIsBackAndNoneIsLost(@TempDir Path tmp) throws Exception {
        Path phantom = ArchiveTestData.ctPhantomDicom();
        int total = IntakeFixture.fileCount(List.of(phantom));
        Path profile = IntakeTestData.profile(tmp);
        int dicomPort = OrthancServer.freePort();
        try (OrthancServer orthanc = OrthancServer.start(tmp.resolve("orthanc"));
             IntakeService.Running intake = new IntakeService().start(IntakeFixture.config(tmp.resolve("intake"), profile,
                     dicomPort, orthanc, DatabaseSettings.h2File(tmp.resolve("intake"))))) {
            orthanc.close();
            IntakeFixture.storescu("SITE1", dicomPort, List.of(phantom));
            IntakeFixture.await("every object de-identified and waiting", 120,
                    () -> intake.count(ObjectState.DEIDENTIFIED) == total);
            // Let several forwarding attempts fail (back-off from 0.2 s up to 2 s).
            IntakeFixture.await("failed forwarding attempts recorded", 60, () -> intake.kit().database().withHandle(h ->
                    h.createQuery("SELECT MIN(attempts) FROM intake_object").mapTo(Integer.class).one()) >= 2);
            assertEquals(0, intake.count(ObjectState.FORWARDED));

            orthanc.restart();
            IntakeFixture.await("every object forwarded", 180, () -> intake.count(ObjectState.FORWARDED) == total);
            assertEquals(total, orthanc.instanceCount());
            assertEquals(0, intake.count(ObjectState.QUARANTINED));
            String lastError = intake.kit().database().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM intake_object WHERE last_error IS NOT NULL").mapTo(Integer.class).one()).toString();
            assertEquals("0", lastError, "errors are cleared once forwarded");
            assertTrue(intake.kit().database().withHandle(h -> h.createQuery(
                    "SELECT MIN(attempts) FROM intake_object").mapTo(Integer.class).one()) >= 2);
        }
    }
}
