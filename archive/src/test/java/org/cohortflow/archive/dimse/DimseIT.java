package org.cohortflow.archive.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cohortflow.archive.dicomweb.ArchiveException;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.imaging.dicom.DicomFiles;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.IndexRow;
import org.cohortflow.imaging.index.SeriesSample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * DIMSE through PixelMed against a real Orthanc's DICOM port, with dcmtk's {@code findscu}, {@code storescu}
 * and {@code storescp} as independent peers to check both directions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DimseIT {
    private static final String OUR_AET = "COHORTFLOW";
    private static final Pattern SERIES_UID = Pattern.compile("\\(0020,000e\\) UI \\[([0-9.]+)\\]");

    private OrthancServer orthanc;
    private int receiverPort;
    private DimseClient client;
    private IndexResult folder;

    @BeforeAll
    void start(@TempDir Path dir) {
        receiverPort = OrthancServer.freePort();
        orthanc = OrthancServer.start(dir.resolve("orthanc"), OrthancServer.peers(new OrthancServer.Peer(OUR_AET, "127.0.0.1", receiverPort)));
        Path sts1 = ArchiveTestData.stsDicom().resolve("STS_001");
        orthanc.upload(sts1);
        folder = DicomIndexer.index(sts1, 2);
        client = new DimseClient(new DimsePeer(OrthancServer.AET, "127.0.0.1", orthanc.dicomPort()), OUR_AET);
    }

    @AfterAll
    void stop() {
        orthanc.close();
    }

    private Set<String> folderSeries(String modality) {
        return folder.samples(SeriesSample.modality(modality)).stream().map(SeriesSample::seriesUid).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> strings(List<AttributeList> results, com.pixelmed.dicom.AttributeTag tag) {
        return results.stream().map(a -> DicomFiles.string(a, tag)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Series UIDs that dcmtk's findscu finds at Orthanc for a modality. */
    private Set<String> findscuSeries(String modality) {
        String out = ArchiveTestData.run(List.of("findscu", "-v", "-S", "-aet", OUR_AET, "-aec", OrthancServer.AET,
                "-k", "QueryRetrieveLevel=SERIES", "-k", "Modality=" + modality, "-k", "SeriesInstanceUID",
                "127.0.0.1", Integer.toString(orthanc.dicomPort())), 60);
        Set<String> uids = new TreeSet<>();
        Matcher m = SERIES_UID.matcher(out);
        while (m.find()) uids.add(m.group(1));
        return uids;
    }

    @Test
    void echoIsAnsweredByOrthancAndAClosedPortIsAClearError() {
        client.echo();
        int closed = OrthancServer.freePort();
        DimseClient nobody = new DimseClient(new DimsePeer("NOBODY", "127.0.0.1", closed), OUR_AET);
        ArchiveException e = assertThrows(ArchiveException.class, nobody::echo);
        assertTrue(e.getMessage().contains("C-ECHO with dicom://NOBODY@127.0.0.1:" + closed), e.getMessage());
    }

    @Test
    void findReturnsTheFolderSeriesAndAgreesWithDcmtkFindscu() {
        for (String modality : List.of("CT", "MR", "PT")) {
            List<AttributeList> found = client.find(DimseClient.Level.SERIES, Map.of("Modality", modality, "SeriesInstanceUID", "",
                    "NumberOfSeriesRelatedInstances", ""));
            assertEquals(folderSeries(modality), strings(found, TagFromName.SeriesInstanceUID), modality);
            assertEquals(findscuSeries(modality), strings(found, TagFromName.SeriesInstanceUID), "findscu, " + modality);
        }
        assertTrue(client.find(DimseClient.Level.STUDY, Map.of("PatientID", "NOBODY", "StudyInstanceUID", "")).isEmpty());
        List<AttributeList> studies = client.find(DimseClient.Level.STUDY, Map.of("PatientID", "STS_001", "StudyInstanceUID", ""));
        assertEquals(folder.rows().stream().map(IndexRow::studyUid).collect(Collectors.toCollection(TreeSet::new)),
                strings(studies, TagFromName.StudyInstanceUID));
    }

    @Test
    void getFetchesAWholeSeriesThatReadsAsTheFolderSeries(@TempDir Path out) {
        SeriesSample ct = folder.samples(SeriesSample.modality("CT")).get(0);
        List<Path> files = client.getSeries(ct.studyUid(), ct.seriesUid(), out, ct.files().size());
        assertEquals(ct.files().size(), files.size());
        Set<String> expected = folder.rows().stream().filter(r -> r.seriesUid().equals(ct.seriesUid())).map(IndexRow::sopUid)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> got = files.stream().map(f -> f.getFileName().toString().replaceFirst("\\.dcm$", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, got);
        assertArrayEquals(DicomSeriesReader.readVolume(Path.of(ct.folder())).toFloatArray(), DicomSeriesReader.readVolume(out).toFloatArray());
        ArchiveException e = assertThrows(ArchiveException.class, () -> client.getSeries(ct.studyUid(), "1.2.3.4.5", out.resolve("none"), -1));
        assertTrue(e.getMessage().contains("C-GET series 1.2.3.4.5"), e.getMessage());
    }

    @Test
    void moveSendsASeriesToOurReceiver(@TempDir Path out) {
        SeriesSample mr = folder.samples(SeriesSample.modality("MR")).get(0);
        try (StorageReceiver receiver = new StorageReceiver(receiverPort, OUR_AET, out)) {
            assertEquals(0, client.moveSeries(mr.studyUid(), mr.seriesUid(), OUR_AET));
            assertEquals(mr.files().size(), receiver.received().size());
        }
        ArchiveException e = assertThrows(ArchiveException.class, () -> client.moveSeries(mr.studyUid(), mr.seriesUid(), "UNKNOWN_AE"));
        assertTrue(e.getMessage().contains("UNKNOWN_AE"), e.getMessage());
    }

    @Test
    void storeIntoAnEmptyOrthancIsSeenByFindAndByFindscu(@TempDir Path dir) throws IOException {
        List<Path> phantom;
        try (Stream<Path> s = Files.walk(ArchiveTestData.ctPhantomDicom())) {
            phantom = s.filter(Files::isRegularFile).sorted().toList();
        }
        try (OrthancServer empty = OrthancServer.start(dir.resolve("empty"), OrthancServer.peers(new OrthancServer.Peer(OUR_AET, "127.0.0.1", receiverPort)))) {
            DimseClient toEmpty = new DimseClient(new DimsePeer(OrthancServer.AET, "127.0.0.1", empty.dicomPort()), OUR_AET);
            DimseClient.StoreOutcome o = toEmpty.store(phantom);
            assertEquals(phantom.size(), o.completed() + o.warnings());
            assertEquals(phantom.size(), empty.instanceCount());
            Set<String> expected = DicomIndexer.index(ArchiveTestData.ctPhantomDicom(), 2).samples(SeriesSample.modality("CT"))
                    .stream().map(SeriesSample::seriesUid).collect(Collectors.toSet());
            assertEquals(expected, strings(toEmpty.find(DimseClient.Level.SERIES, Map.of("Modality", "CT", "SeriesInstanceUID", "")),
                    TagFromName.SeriesInstanceUID));
            String out = ArchiveTestData.run(List.of("findscu", "-v", "-S", "-aet", OUR_AET, "-aec", OrthancServer.AET,
                    "-k", "QueryRetrieveLevel=SERIES", "-k", "Modality=CT", "-k", "SeriesInstanceUID",
                    "127.0.0.1", Integer.toString(empty.dicomPort())), 60);
            for (String uid : expected) assertTrue(out.contains("[" + uid + "]"), "findscu sees " + uid + ":\n" + out);
        }
    }

    @Test
    void storeToDcmtkStorescpDeliversEveryFile(@TempDir Path dir) throws Exception {
        SeriesSample pet = folder.samples(SeriesSample.modality("PT")).get(0);
        int port = OrthancServer.freePort();
        Path received = Files.createDirectories(dir.resolve("received"));
        Process storescp = new ProcessBuilder("storescp", "-aet", "DCMTK", "-od", received.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("storescp.log").toFile()).start();
        try {
            DimseClient toDcmtk = new DimseClient(new DimsePeer("DCMTK", "127.0.0.1", port), OUR_AET);
            waitForEcho(toDcmtk);
            List<Path> files = pet.files().stream().map(Path::of).toList();
            toDcmtk.store(files);
            List<String> names;
            try (Stream<Path> s = Files.list(received)) {
                names = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertEquals(files.size(), names.size());
            for (IndexRow r : folder.rows()) {
                if (r.seriesUid().equals(pet.seriesUid())) {
                    assertTrue(names.stream().anyMatch(n -> n.endsWith(r.sopUid())), "storescp holds " + r.sopUid());
                }
            }
        } finally {
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void dcmtkStorescuDeliversToOurReceiver(@TempDir Path dir) {
        SeriesSample mr = folder.samples(SeriesSample.modality("MR")).get(0);
        int port = OrthancServer.freePort();
        try (StorageReceiver receiver = new StorageReceiver(port, "RECEIVER", dir)) {
            List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", "DCMTK", "-aec", "RECEIVER", "127.0.0.1", Integer.toString(port)));
            mr.files().forEach(f -> cmd.add(Path.of(f).toString()));
            ArchiveTestData.run(cmd, 120);
            assertEquals(mr.files().size(), receiver.received().size());
            assertFalse(receiver.received().isEmpty());
        }
    }

    private static void waitForEcho(DimseClient c) throws InterruptedException {
        for (int i = 0; ; i++) {
            try {
                c.echo();
                return;
            } catch (ArchiveException e) {
                if (i > 50) throw e;
                Thread.sleep(100);
            }
        }
    }
}
