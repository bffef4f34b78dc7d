package org.cohortflow.archive.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.DicomWebSettings;
import org.cohortflow.archive.dicomweb.QidoQuery;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.LoadedOrthanc;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.FileTree;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.IndexRow;
import org.cohortflow.imaging.index.SeriesSample;
import org.cohortflow.imaging.pipeline.DicomCohortSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Cohort discovery by QIDO-RS against the folder route on the same files, and WADO-RS volumes against folder volumes. */
@ExtendWith(LoadedOrthanc.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DicomWebCohortIT {
    private DicomWebCohort cohort;
    private IndexResult folderIndex;
    private IndexResult archiveIndex;
    private FileTree folderTree;

    @BeforeAll
    void start(OrthancServer orthanc, @TempDir Path tmp) {
        cohort = new DicomWebCohort(new DicomWebClient(DicomWebSettings.of(orthanc.dicomWebRoot(),
                Auth.basic(OrthancServer.USER, OrthancServer.PASSWORD))), 200);
        // Both trees under one root, as the archive holds them.
        folderTree = FileTree.local(ArchiveTestData.root());
        folderIndex = IndexResult.merge(List.of(DicomIndexer.index(ArchiveTestData.stsDicom(), 2),
                DicomIndexer.index(ArchiveTestData.ctPhantomDicom(), 2)));
        archiveIndex = cohort.index(QidoQuery.all());
    }

    /** An index row without its location, which is the one thing the two routes differ in. */
    private static String content(IndexRow r) {
        return String.join("|", r.patientId(), r.studyUid(), r.seriesUid(), r.sopUid(), r.modality(), String.valueOf(r.rows()),
                String.valueOf(r.columns()), r.seriesDescription());
    }

    private static List<String> contents(IndexResult i) {
        return i.rows().stream().map(DicomWebCohortIT::content).sorted().toList();
    }

    @Test
    void theQidoIndexHoldsTheFolderIndexRowForRow() {
        IndexResult archive = archiveIndex;
        assertEquals(folderIndex.rows().size(), archive.rows().size());
        assertEquals(contents(folderIndex), contents(archive));
        assertTrue(archive.rows().stream().allMatch(r -> r.file().toString().startsWith("dicomweb://127.0.0.1:")
                && r.file().toString().endsWith("/instances/" + r.sopUid())), archive.rows().get(0).file().toString());
    }

    @Test
    void aStudyLevelQueryNarrowsTheIndexAndOneMatchingNothingIsEmpty() {
        IndexResult sts2 = cohort.index(QidoQuery.all().with("PatientID", "STS_002"));
        List<String> expected = folderIndex.rows().stream().filter(r -> r.patientId().equals("STS_002"))
                .map(DicomWebCohortIT::content).sorted().toList();
        assertFalse(expected.isEmpty());
        assertEquals(expected, contents(sts2));
        assertTrue(cohort.index(QidoQuery.all().with("PatientID", "NOBODY")).rows().isEmpty());
    }

    @Test
    void samplesPairSeriesWithTheirRtstructAsTheFolderRouteDoes() {
        IndexResult archive = archiveIndex;
        List<DicomWebCohort.Sample> fromArchive = cohort.discover(archive, s -> true);
        List<DicomCohortSource.Sample> fromFolder = DicomCohortSource.discover(folderTree, folderIndex, s -> true);
        Map<URI, String> folderSop = folderIndex.rows().stream().collect(Collectors.toMap(IndexRow::file, IndexRow::sopUid));
        assertEquals(fromFolder.size(), fromArchive.size());
        assertEquals(13, fromArchive.size(), "4 patients x CT, MR, PET + the phantom's CT");
        for (int i = 0; i < fromFolder.size(); i++) {
            DicomCohortSource.Sample f = fromFolder.get(i);
            DicomWebCohort.Sample a = fromArchive.get(i);
            assertEquals(f.id(), a.id());
            assertEquals(f.series().seriesUid(), a.series().seriesUid(), f.id());
            assertEquals(f.series().modality(), a.series().modality(), f.id());
            assertEquals(f.series().files().size(), a.series().files().size(), f.id());
            Optional<String> folderRt = f.rtstruct().map(folderSop::get);
            Optional<String> archiveRt = a.rtstruct().map(u -> DicomWebRef.parse(u).sopUid().orElseThrow());
            assertEquals(folderRt, archiveRt, f.id());
            assertTrue(archiveRt.isPresent(), f.id() + " has an RTSTRUCT in the shared data");
            assertTrue(a.seriesUri().toString().endsWith("/series/" + a.series().seriesUid()));
        }
        List<DicomWebCohort.Sample> ct = cohort.discover(archive, SeriesSample.modality("CT"));
        assertEquals(5, ct.size());
        assertEquals(List.of("STS_001"), cohort.discover(archive, SeriesSample.modality("CT")
                .and(SeriesSample.seriesDescriptionMatches(".")).and(s -> s.patientId().equals("STS_001"))).stream()
                .map(DicomWebCohort.Sample::id).toList());
    }

    @Test
    void wadoVolumesEqualTheFolderVolumesVoxelForVoxel(@TempDir Path tmp) {
        IndexResult archive = archiveIndex;
        DicomWebClient client = new DicomWebClient(DicomWebSettings.of(DicomWebRef.parse(cohort.root()).httpRoot(),
                Auth.basic(OrthancServer.USER, OrthancServer.PASSWORD)));
        for (DicomWebCohort.Sample s : cohort.discover(archive, s -> true)) {
            Path local = tmp.resolve(s.series().seriesUid());
            client.retrieveSeries(s.series().studyUid(), s.series().seriesUid(), local);
            Volume fetched = DicomSeriesReader.readVolume(local);
            SeriesSample folderSeries = folderIndex.samples(x -> x.seriesUid().equals(s.series().seriesUid())).get(0);
            Volume original = DicomSeriesReader.readVolume(Path.of(folderSeries.folder()));
            assertEquals(original.geometry(), fetched.geometry(), s.id());
            assertArrayEquals(original.toFloatArray(), fetched.toFloatArray(), s.id());
        }
    }
}
