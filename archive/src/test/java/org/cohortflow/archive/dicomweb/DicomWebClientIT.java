package org.cohortflow.archive.dicomweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.LoadedOrthanc;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.IndexRow;
import org.cohortflow.imaging.index.SeriesSample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The DICOMweb client against a real Orthanc holding the STS cohort and the IBSI CT phantom. */
@ExtendWith(LoadedOrthanc.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DicomWebClientIT {
    private OrthancServer orthanc;
    private DicomWebClient client;
    private IndexResult folder;

    @BeforeAll
    void start(OrthancServer orthanc) {
        this.orthanc = orthanc;
        client = new DicomWebClient(DicomWebSettings.of(orthanc.dicomWebRoot(), Auth.basic(OrthancServer.USER, OrthancServer.PASSWORD)));
        folder = IndexResult.merge(List.of(DicomIndexer.index(ArchiveTestData.stsDicom(), 2),
                DicomIndexer.index(ArchiveTestData.ctPhantomDicom(), 2)));
    }

    private static Set<String> uids(List<DicomJson> results, String tag) {
        return results.stream().map(d -> d.string(tag)).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void qidoFindsEveryStudyAndSeriesOfTheFolder() {
        Set<String> studies = folder.rows().stream().map(IndexRow::studyUid).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(studies, uids(client.searchStudies(QidoQuery.all()), DicomJson.STUDY_UID));
        Set<String> series = folder.samples().stream().map(SeriesSample::seriesUid).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(series, uids(client.searchSeries(QidoQuery.all()), DicomJson.SERIES_UID));
    }

    @Test
    void qidoFiltersSeriesByModalityAndStudiesByPatient() {
        Set<String> ct = folder.samples(SeriesSample.modality("CT")).stream().map(SeriesSample::seriesUid)
                .collect(Collectors.toCollection(TreeSet::new));
        List<DicomJson> found = client.searchSeries(QidoQuery.all().with("Modality", "CT"));
        assertEquals(ct, uids(found, DicomJson.SERIES_UID));
        assertTrue(found.stream().allMatch(d -> d.string(DicomJson.MODALITY).equals("CT")));

        Set<String> sts1 = folder.rows().stream().filter(r -> r.patientId().equals("STS_001")).map(IndexRow::studyUid)
                .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(sts1.isEmpty());
        assertEquals(sts1, uids(client.searchStudies(QidoQuery.all().with("PatientID", "STS_001")), DicomJson.STUDY_UID));
        assertTrue(client.searchStudies(QidoQuery.all().with("PatientID", "NO_SUCH_PATIENT")).isEmpty(),
                "a query that matches nothing is an empty result, not an error");
    }

    @Test
    void pagingVisitsEveryInstanceOnceWhateverThePageSize() {
        List<DicomJson> all = client.searchAll(DicomWebClient.Level.INSTANCES, QidoQuery.all(), 1000);
        assertEquals(folder.rows().size(), all.size());
        List<DicomJson> paged = client.searchAll(DicomWebClient.Level.INSTANCES, QidoQuery.all(), 97);
        assertEquals(all.size(), paged.size());
        assertEquals(uids(all, DicomJson.SOP_UID), uids(paged, DicomJson.SOP_UID));
        assertEquals(paged.size(), new HashSet<>(uids(paged, DicomJson.SOP_UID)).size(), "no instance twice");
        assertEquals(folder.rows().stream().map(IndexRow::sopUid).collect(Collectors.toCollection(TreeSet::new)), uids(paged, DicomJson.SOP_UID));
        assertEquals(10, client.searchInstances(QidoQuery.all().page(10, 5)).size());
    }

    @Test
    void wadoRetrievesASeriesByteForByteAsStored(@TempDir Path out) throws IOException {
        SeriesSample ct = folder.samples(SeriesSample.modality("CT")).get(0);
        List<Path> files = client.retrieveSeries(ct.studyUid(), ct.seriesUid(), out);
        assertEquals(ct.files().size(), files.size());
        Map<String, Path> bySop = folder.rows().stream().filter(r -> r.seriesUid().equals(ct.seriesUid()))
                .collect(Collectors.toMap(IndexRow::sopUid, r -> Path.of(r.file())));
        for (Path f : files) {
            String sop = f.getFileName().toString().replaceFirst("\\.dcm$", "");
            assertArrayEquals(Files.readAllBytes(bySop.get(sop)), Files.readAllBytes(f), sop);
        }
        try (var s = Files.list(out)) {
            assertEquals(files.size(), s.count(), "no temporary files left beside the series");
        }
    }

    @Test
    void wadoRetrievesOneInstanceAndTheSeriesMetadata(@TempDir Path out) throws IOException {
        IndexRow row = folder.rows().stream().filter(r -> r.modality().equals("RTSTRUCT")).findFirst().orElseThrow();
        byte[] bytes = client.retrieveInstanceBytes(row.studyUid(), row.seriesUid(), row.sopUid());
        assertArrayEquals(Files.readAllBytes(Path.of(row.file())), bytes);
        Path file = client.retrieveInstance(row.studyUid(), row.seriesUid(), row.sopUid(), out);
        assertEquals(row.sopUid() + ".dcm", file.getFileName().toString());

        SeriesSample mr = folder.samples(SeriesSample.modality("MR")).get(0);
        List<DicomJson> meta = client.seriesMetadata(mr.studyUid(), mr.seriesUid());
        assertEquals(mr.files().size(), meta.size());
        assertTrue(meta.stream().allMatch(m -> m.string(DicomJson.SERIES_UID).equals(mr.seriesUid())
                && m.string(DicomJson.PATIENT_ID).equals(mr.patientId()) && m.integer(DicomJson.ROWS).isPresent()));
    }

    @Test
    void wrongCredentialsAreA401NamingTheUrl() {
        DicomWebClient wrong = new DicomWebClient(DicomWebSettings.of(orthanc.dicomWebRoot(), Auth.basic(OrthancServer.USER, "wrong")));
        ArchiveException e = assertThrows(ArchiveException.class, () -> wrong.searchStudies(QidoQuery.all()));
        assertEquals(401, e.status().orElseThrow());
        assertTrue(e.getMessage().contains(orthanc.dicomWebRoot() + "/studies"), e.getMessage());
        assertTrue(e.getMessage().contains("not authenticated"), e.getMessage());
        DicomWebClient none = new DicomWebClient(DicomWebSettings.of(orthanc.dicomWebRoot(), Auth.none()));
        assertEquals(401, assertThrows(ArchiveException.class, () -> none.searchSeries(QidoQuery.all())).status().orElseThrow());
    }

    @Test
    void aSeriesThatDoesNotExistIsA404NamingIt(@TempDir Path out) throws IOException {
        SeriesSample ct = folder.samples(SeriesSample.modality("CT")).get(0);
        ArchiveException e = assertThrows(ArchiveException.class, () -> client.retrieveSeries(ct.studyUid(), "1.2.3.4.5.6.7", out));
        assertEquals(404, e.status().orElseThrow());
        assertTrue(e.getMessage().contains("/series/1.2.3.4.5.6.7"), e.getMessage());
        try (var s = Files.list(out)) {
            assertEquals(0, s.count(), "nothing partial left behind");
        }
    }
}
