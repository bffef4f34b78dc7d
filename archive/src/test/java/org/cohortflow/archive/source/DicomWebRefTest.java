package org.cohortflow.archive.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.archive.dicomweb.QidoQuery;
import org.junit.jupiter.api.Test;

class DicomWebRefTest {

    @Test
    void aSeriesUriSplitsIntoTheServiceRootAndItsUids() {
        DicomWebRef r = DicomWebRef.parse(URI.create("dicomweb://pacs:8042/dicom-web/studies/1.2.3/series/4.5.6"));
        assertEquals(URI.create("http://pacs:8042/dicom-web"), r.httpRoot());
        assertEquals(Optional.of("1.2.3"), r.studyUid());
        assertEquals(Optional.of("4.5.6"), r.seriesUid());
        assertEquals(Optional.empty(), r.sopUid());
        assertEquals("dicomweb://pacs:8042/dicom-web/studies/1.2.3/series/4.5.6", r.toUri().toString());
        assertEquals("dicomweb://pacs:8042/dicom-web", r.rootUri().toString());
    }

    @Test
    void httpsAndDicomwebsMeanTheSameAndHttpUrlsAreAccepted() {
        assertEquals(URI.create("https://h/wado/rs"), DicomWebRef.parse(URI.create("dicomwebs://h/wado/rs")).httpRoot());
        assertEquals("dicomwebs://h/rs/studies/1/series/2/instances/3",
                DicomWebRef.parse(URI.create("https://h/rs/studies/1/series/2/instances/3")).toUri().toString());
        assertTrue(DicomWebRef.looksLikeArchive("http://localhost:8042/dicom-web"));
        assertTrue(!DicomWebRef.looksLikeArchive("/data/cohort") && !DicomWebRef.looksLikeArchive("hdfs://nn/cohort"));
    }

    @Test
    void malformedReferencesAreRefusedWithTheirText() {
        for (String bad : new String[] {"dicomweb://h/r/studies/1.2/series", "dicomweb://h/r/series/1.2", "dicomweb://h/r/studies/abc",
            "ftp://h/r", "dicomweb://h/r/studies/1/frames/2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DicomWebRef.parse(URI.create(bad)), bad);
            assertTrue(e.getMessage().startsWith(bad), e.getMessage());
        }
    }

    @Test
    void qidoQueriesEncodeValuesButKeepWildcards() {
        QidoQuery q = QidoQuery.all().with("PatientID", "STS_*").with("SeriesDescription", "T1 axial").including("00080060").page(50, 100);
        assertEquals("PatientID=STS_*&SeriesDescription=T1%20axial&includefield=00080060&limit=50&offset=100", q.toQueryString());
        assertEquals("", QidoQuery.all().toQueryString());
    }

    @Test
    void credentialsComeFromSettingsBeforeTheEnvironmentAndATokenWins() {
        assertInstanceOf(Auth.None.class, ArchiveCredentials.resolve(Map.of(), Map.of()));
        assertEquals(Auth.basic("u", "p"), ArchiveCredentials.resolve(Map.of(ArchiveCredentials.USER, "u", ArchiveCredentials.PASSWORD, "p"),
                Map.of("COHORTFLOW_ARCHIVE_USER", "env")));
        assertEquals(Auth.basic("env", "pw"), ArchiveCredentials.resolve(Map.of(), Map.of("COHORTFLOW_ARCHIVE_USER", "env",
                "COHORTFLOW_ARCHIVE_PASSWORD", "pw")));
        assertEquals(Auth.bearer("t"), ArchiveCredentials.resolve(Map.of(ArchiveCredentials.USER, "u"), Map.of("COHORTFLOW_ARCHIVE_TOKEN", "t")));
        assertTrue(!Auth.basic("u", "secret").toString().contains("secret"), "passwords stay out of logs");
    }
}
