package org.cohortflow.archive.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.dsl.io.RemoteData;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.IndexRow;
import org.cohortflow.imaging.index.SeriesSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dicom://} values (C-FIND to hash, C-GET to stage) as executors see them, against a real Orthanc. */
class DimseDataIT {
    private static final Function<String, String> SETTINGS = Map.of(DimseData.CALLING_AET, "COHORTFLOW")::get;

    private OrthancServer orthanc;
    private IndexResult folder;
    private SeriesSample ct;
    private URI ctUri;
    private RemoteData data;

    @BeforeEach
    void start(@TempDir Path dir) {
        orthanc = OrthancServer.start(dir.resolve("orthanc"), OrthancServer.peers(new OrthancServer.Peer("COHORTFLOW", "127.0.0.1",
                OrthancServer.freePort())));
        Path phantom = ArchiveTestData.ctPhantomDicom();
        orthanc.upload(phantom);
        folder = DicomIndexer.index(phantom, 2);
        ct = folder.samples(SeriesSample.modality("CT")).get(0);
        ctUri = URI.create("dicom://ORTHANC@127.0.0.1:" + orthanc.dicomPort() + "/studies/" + ct.studyUid() + "/series/" + ct.seriesUid());
        data = RemoteData.byScheme(getClass().getClassLoader()).get("dicom");
    }

    @AfterEach
    void stop() {
        orthanc.close();
    }

    private void deleteInstance(String sop) throws IOException {
        for (JsonNode n : new ObjectMapper().readTree(orthanc.get("/instances?expand"))) {
            if (sop.equals(n.path("MainDicomTags").path("SOPInstanceUID").asText())) {
                orthanc.delete("/instances/" + n.path("ID").asText());
                return;
            }
        }
        throw new AssertionError("Orthanc has no instance " + sop);
    }

    @Test
    void aSeriesIsFoundHashedAndStagedOverDimse(@TempDir Path stage) throws IOException {
        assertTrue(data instanceof DimseData);
        assertTrue(data.exists(ctUri, SETTINGS));
        assertFalse(data.exists(URI.create("dicom://ORTHANC@127.0.0.1:" + orthanc.dicomPort() + "/studies/" + ct.studyUid()
                + "/series/1.2.3.4"), SETTINGS));
        String hash = data.contentHash(ctUri, SETTINGS);
        assertEquals(hash, new DimseData().contentHash(ctUri, SETTINGS));
        Path staged = data.localise(ctUri, stage, SETTINGS);
        assertArrayEquals(DicomSeriesReader.readVolume(Path.of(ct.folder())).toFloatArray(), DicomSeriesReader.readVolume(staged).toFloatArray());
        assertEquals("dicom://ORTHANC@127.0.0.1:" + orthanc.dicomPort() + "/studies/" + ct.studyUid() + "/series/" + ct.seriesUid(),
                DimseRef.parse(ctUri).toUri().toString());
    }

    @Test
    void aSeriesThatLostAnInstanceHashesDifferentlyAndIsIncompleteWhenStagedAgainstTheOldHash(@TempDir Path stage) throws IOException {
        String before = data.contentHash(ctUri, SETTINGS);
        IndexRow slice = folder.rows().stream().filter(r -> r.seriesUid().equals(ct.seriesUid())).findFirst().orElseThrow();
        deleteInstance(slice.sopUid());
        assertNotEquals(before, new DimseData().contentHash(ctUri, SETTINGS));
        IOException e = assertThrows(IOException.class, () -> data.localise(ctUri, stage, SETTINGS));
        assertTrue(e.getMessage().contains("is incomplete"), e.getMessage());
        assertFalse(Files.exists(stage.resolve(ct.seriesUid())), "nothing partial staged");
    }

    @Test
    void anUnknownCallingAeIsRefusedWithTheArchiveNamed() {
        IOException e = assertThrows(IOException.class, () -> data.exists(ctUri, Map.of(DimseData.CALLING_AET, "STRANGER")::get));
        assertTrue(e.getMessage().contains("dicom://ORTHANC@127.0.0.1:" + orthanc.dicomPort()), e.getMessage());
    }
}
