package org.cohortflow.archive.source;

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
import java.util.List;
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
import org.cohortflow.imaging.rtstruct.RtStruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dicomweb://} values as executors see them (through the {@link RemoteData} service), against a real Orthanc. */
class DicomWebDataIT {
    private static final Map<String, String> CREDENTIALS = Map.of(ArchiveCredentials.USER, OrthancServer.USER,
            ArchiveCredentials.PASSWORD, OrthancServer.PASSWORD);
    private static final Function<String, String> SETTINGS = CREDENTIALS::get;

    private OrthancServer orthanc;
    private IndexResult folder;
    private SeriesSample ct;
    private URI ctUri;
    private RemoteData data;

    @BeforeEach
    void start(@TempDir Path dir) {
        orthanc = OrthancServer.start(dir.resolve("orthanc"));
        Path phantom = ArchiveTestData.ctPhantomDicom();
        orthanc.upload(phantom);
        folder = DicomIndexer.index(phantom, 2);
        ct = folder.samples(SeriesSample.modality("CT")).get(0);
        ctUri = URI.create(orthanc.dicomWebUri() + "/studies/" + ct.studyUid() + "/series/" + ct.seriesUid());
        data = RemoteData.byScheme(getClass().getClassLoader()).get("dicomweb");
    }

    @AfterEach
    void stop() {
        orthanc.close();
    }

    private String lookup(String sopUid) throws IOException {
        for (JsonNode id : new ObjectMapper().readTree(orthanc.get("/instances"))) {
            JsonNode tags = new ObjectMapper().readTree(orthanc.get("/instances/" + id.asText() + "/simplified-tags"));
            if (sopUid.equals(tags.path("SOPInstanceUID").asText())) return id.asText();
        }
        throw new AssertionError("Orthanc has no instance " + sopUid);
    }

    @Test
    void theServiceIsFoundByItsSchemesAndSeesWhatExists() throws IOException {
        assertTrue(data instanceof DicomWebData);
        assertTrue(RemoteData.byScheme(getClass().getClassLoader()).get("dicomwebs") instanceof DicomWebData);
        assertTrue(data.exists(ctUri, SETTINGS));
        assertTrue(data.isDirectory(ctUri, SETTINGS));
        assertFalse(data.exists(URI.create(orthanc.dicomWebUri() + "/studies/" + ct.studyUid() + "/series/1.2.3.4"), SETTINGS));
        IOException e = assertThrows(IOException.class, () -> data.exists(ctUri, Map.of(ArchiveCredentials.USER, OrthancServer.USER,
                ArchiveCredentials.PASSWORD, "wrong")::get));
        assertTrue(e.getMessage().contains("401"), e.getMessage());
    }

    @Test
    void theHashComesFromMetadataIsStableAndChangesWhenTheSeriesDoes() throws IOException {
        String before = data.contentHash(ctUri, SETTINGS);
        assertEquals(before, new DicomWebData().contentHash(ctUri, SETTINGS), "another process computes the same hash");
        IndexRow slice = folder.rows().stream().filter(r -> r.seriesUid().equals(ct.seriesUid())).findFirst().orElseThrow();
        orthanc.delete("/instances/" + lookup(slice.sopUid()));
        String without = data.contentHash(ctUri, SETTINGS);
        assertNotEquals(before, without, "a changed series has another hash");
        orthanc.upload(Path.of(slice.file()));
        assertEquals(before, data.contentHash(ctUri, SETTINGS), "the same content hashes the same again");
    }

    @Test
    void stagingFetchesTheSeriesAndTheRtstructThatReadAsTheFolderOnes(@TempDir Path stage) throws IOException {
        data.contentHash(ctUri, SETTINGS);
        Path series = data.localise(ctUri, stage, SETTINGS);
        assertEquals(stage.resolve(ct.seriesUid()), series);
        assertArrayEquals(DicomSeriesReader.readVolume(Path.of(ct.folder())).toFloatArray(), DicomSeriesReader.readVolume(series).toFloatArray());
        IndexRow rt = folder.rows().stream().filter(r -> r.modality().equals("RTSTRUCT")).findFirst().orElseThrow();
        URI rtUriFirst = URI.create(orthanc.dicomWebUri() + "/studies/" + rt.studyUid() + "/series/" + rt.seriesUid() + "/instances/" + rt.sopUid());
        data.contentHash(rtUriFirst, SETTINGS);
        data.localise(rtUriFirst, stage.resolve("first"), SETTINGS);
        // Another job reading the same series and instance gets the copy this process fetched: no archive needed.
        orthanc.close();
        Path again = data.localise(ctUri, stage.resolve("second-job"), SETTINGS);
        assertArrayEquals(DicomSeriesReader.readVolume(series).toFloatArray(), DicomSeriesReader.readVolume(again).toFloatArray());
        Path rtAgain = data.localise(rtUriFirst, stage.resolve("second-job"), SETTINGS);
        assertEquals(RtStruct.read(Path.of(rt.file())).roiNames(), RtStruct.read(rtAgain).roiNames());
        orthanc.restart();
        URI rtUri = URI.create(orthanc.dicomWebUri() + "/studies/" + rt.studyUid() + "/series/" + rt.seriesUid() + "/instances/" + rt.sopUid());
        assertFalse(data.isDirectory(rtUri, SETTINGS));
        Path file = data.localise(rtUri, stage, SETTINGS);
        assertEquals(RtStruct.read(Path.of(rt.file())).roiNames(), RtStruct.read(file).roiNames());
    }

    @Test
    void aSeriesThatLostAnInstanceAfterHashingIsIncompleteAndNothingIsStaged(@TempDir Path stage) throws IOException {
        data.contentHash(ctUri, SETTINGS);
        List<IndexRow> slices = folder.rows().stream().filter(r -> r.seriesUid().equals(ct.seriesUid())).toList();
        orthanc.delete("/instances/" + lookup(slices.get(3).sopUid()));
        IOException e = assertThrows(IOException.class, () -> data.localise(ctUri, stage, SETTINGS));
        assertTrue(e.getMessage().contains("is incomplete"), e.getMessage());
        assertTrue(e.getMessage().contains("delivered " + (slices.size() - 1) + " of " + slices.size()), e.getMessage());
        assertTrue(e.getMessage().contains(slices.get(3).sopUid()), e.getMessage());
        assertTrue(e.getMessage().contains(ct.seriesUid()), e.getMessage());
        assertFalse(Files.exists(stage.resolve(ct.seriesUid())), "no partial series staged");
    }
}
