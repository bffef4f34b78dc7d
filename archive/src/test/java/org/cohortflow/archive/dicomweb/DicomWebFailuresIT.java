package org.cohortflow.archive.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.CuttingProxy;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.archive.testing.SilentServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the DICOMweb client does when the archive misbehaves: it is stopped, cut off, or loses a series. */
class DicomWebFailuresIT {
    private OrthancServer orthanc;
    private DicomJson series;

    @BeforeEach
    void start(@TempDir Path dir) {
        orthanc = OrthancServer.start(dir.resolve("orthanc"));
        orthanc.upload(ArchiveTestData.ctPhantomDicom());
        series = client(orthanc.dicomWebRoot(), 1).searchSeries(QidoQuery.all().with("Modality", "CT")).get(0);
    }

    @AfterEach
    void stop() {
        orthanc.close();
    }

    private static DicomWebClient client(URI root, int attempts) {
        return new DicomWebClient(DicomWebSettings.of(root, Auth.basic(OrthancServer.USER, OrthancServer.PASSWORD))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)).withRetries(attempts, Duration.ofMillis(100)));
    }

    private static long filesIn(Path p) throws IOException {
        if (!Files.exists(p)) return 0;
        try (var s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aStoppedArchiveIsAClearErrorAfterTheRetriesAndLeavesNothingBehind(@TempDir Path out) throws IOException {
        DicomWebClient client = client(orthanc.dicomWebRoot(), 3);
        orthanc.close();
        ArchiveException e = assertThrows(ArchiveException.class, () -> client.retrieveSeries(series.string(DicomJson.STUDY_UID),
                series.string(DicomJson.SERIES_UID), out.resolve("series")));
        assertTrue(e.getMessage().contains(orthanc.dicomWebRoot() + "/studies/" + series.string(DicomJson.STUDY_UID)), e.getMessage());
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
        assertTrue(e.status().isEmpty());
        assertEquals(0, filesIn(out.resolve("series")));
    }

    @Test
    void retriesWithBackoffRideOutAnArchiveRestart(@TempDir Path out) {
        DicomWebClient client = client(orthanc.dicomWebRoot(), 8);
        orthanc.close();
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            orthanc.restart();
        });
        List<Path> files = client.retrieveSeries(series.string(DicomJson.STUDY_UID), series.string(DicomJson.SERIES_UID), out);
        restart.join();
        assertEquals(series.integer(DicomJson.NUMBER_OF_SERIES_RELATED_INSTANCES).orElseThrow(), files.size());
    }

    @Test
    void aResponseCutOffMidwayIsAnErrorAndNoPartialSeriesIsKept(@TempDir Path out) throws IOException {
        try (CuttingProxy proxy = new CuttingProxy(orthanc.httpPort(), 300_000)) {
            DicomWebClient client = client(proxy.url("/dicom-web"), 2);
            ArchiveException e = assertThrows(ArchiveException.class, () -> client.retrieveSeries(series.string(DicomJson.STUDY_UID),
                    series.string(DicomJson.SERIES_UID), out.resolve("series")));
            assertTrue(e.getMessage().startsWith("GET " + proxy.url("/dicom-web/studies/")), e.getMessage());
            assertTrue(e.getMessage().contains("after 2 attempts"), e.getMessage());
            assertEquals(0, filesIn(out.resolve("series")), "no file of a cut-off series looks complete");
        }
    }

    @Test
    void anArchiveThatDoesNotAnswerTimesOutWithAClearError() {
        try (SilentServer silent = new SilentServer()) {
            DicomWebClient client = new DicomWebClient(DicomWebSettings.of(silent.url("/dicom-web"), Auth.none())
                    .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(700)).withRetries(2, Duration.ofMillis(50)));
            long start = System.nanoTime();
            ArchiveException e = assertThrows(ArchiveException.class, () -> client.searchStudies(QidoQuery.all().with("PatientID", "X")));
            assertTrue(e.getMessage().contains(silent.url("/dicom-web/studies?PatientID=X").toString()), e.getMessage());
            assertTrue(e.getMessage().contains("did not answer in time"), e.getMessage());
            assertTrue(e.getMessage().contains("after 2 attempts"), e.getMessage());
            assertTrue((System.nanoTime() - start) / 1e9 < 10, "the timeout bounds the wait");
        }
    }

    @Test
    void aResponseThatStallsMidwayTimesOutAndNoPartialSeriesIsKept(@TempDir Path out) throws IOException {
        try (CuttingProxy proxy = new CuttingProxy(orthanc.httpPort(), 300_000, true)) {
            DicomWebClient client = new DicomWebClient(DicomWebSettings.of(proxy.url("/dicom-web"), Auth.basic(OrthancServer.USER,
                    OrthancServer.PASSWORD)).withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1500)).withRetries(2, Duration.ofMillis(50)));
            long start = System.nanoTime();
            ArchiveException e = assertThrows(ArchiveException.class, () -> client.retrieveSeries(series.string(DicomJson.STUDY_UID),
                    series.string(DicomJson.SERIES_UID), out.resolve("series")));
            assertTrue(e.getMessage().contains("sent no data for 1500 ms in the middle of the response"), e.getMessage());
            assertTrue(e.getMessage().contains("after 2 attempts"), e.getMessage());
            assertTrue((System.nanoTime() - start) / 1e9 < 20, "the stall timeout bounds the wait");
            assertEquals(0, filesIn(out.resolve("series")));
        }
    }

    @Test
    void aSeriesThatVanishedAfterTheQueryIsA404NamingTheSeries(@TempDir Path out) {
        String orthancId = orthanc.get("/series").replaceAll("[\\[\\]\"\\s]", "").split(",")[0];
        orthanc.delete("/series/" + orthancId);
        DicomWebClient client = client(orthanc.dicomWebRoot(), 3);
        ArchiveException e = assertThrows(ArchiveException.class, () -> client.retrieveSeries(series.string(DicomJson.STUDY_UID),
                series.string(DicomJson.SERIES_UID), out));
        assertEquals(404, e.status().orElseThrow());
        assertTrue(e.getMessage().contains("/series/" + series.string(DicomJson.SERIES_UID)), e.getMessage());
        assertFalse(e.getMessage().contains("attempts"), "a 404 is not retried");
    }
}
