package org.cohortflow.archive.xnat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cohortflow.archive.dicomweb.ArchiveException;
import org.cohortflow.archive.dicomweb.Auth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of the XNAT client that need no server: no XNAT can be installed here, so the client has not been run
 * against one (docs/archive.md says so). These tests check its URLs, its reading of XNAT's documented ResultSet
 * JSON, and that unpacking a scan's zip stays inside its folder.
 */
class XnatClientTest {
    private final XnatClient client = new XnatClient(URI.create("https://xnat.example.org/"), Auth.basic("u", "p"), Duration.ofSeconds(5));

    @Test
    void urlsFollowXnatsDataHierarchyWithEachSegmentEncoded() {
        assertEquals("https://xnat.example.org/data/projects", client.url("projects").toString());
        assertEquals("https://xnat.example.org/data/projects/STS/subjects/STS_001/experiments/STS_001_CT%201/scans/2/resources/DICOM/files",
                client.url("projects", "STS", "subjects", "STS_001", "experiments", "STS_001_CT 1", "scans", "2", "resources", "DICOM", "files").toString());
        assertEquals("https://xnat.example.org/data/projects/a%2Fb", client.url("projects", "a/b").toString(), "a slash in an id cannot change the path");
    }

    @Test
    void aResultSetBecomesRowsOfText() throws IOException {
        String doc = "{\"ResultSet\":{\"Result\":[{\"ID\":\"2\",\"type\":\"CT\",\"series_description\":\"Thorax\",\"quality\":null},"
                + "{\"ID\":\"3\",\"type\":\"RTSTRUCT\",\"frames\":0}],\"totalRecords\":\"2\"}}";
        List<XnatClient.Row> rows = XnatClient.parse(new ObjectMapper().readTree(doc), URI.create("https://x/data"));
        assertEquals(2, rows.size());
        assertEquals("Thorax", rows.get(0).get("series_description"));
        assertEquals("", rows.get(0).get("quality"));
        assertEquals("0", rows.get(1).get("frames"));
        assertEquals("", rows.get(1).get("no such column"));
        ArchiveException e = assertThrows(ArchiveException.class,
                () -> XnatClient.parse(new ObjectMapper().readTree("{\"items\":[]}"), URI.create("https://x/data/projects")));
        assertTrue(e.getMessage().contains("https://x/data/projects"), e.getMessage());
    }

    private static byte[] zip(String... namesAndContents) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                z.putNextEntry(new ZipEntry(namesAndContents[i]));
                z.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    @Test
    void aScanZipIsUnpackedFlatIntoItsFolder(@TempDir Path dir) throws IOException {
        byte[] z = zip("E1/scans/2-CT/resources/DICOM/files/1.dcm", "one", "E1/scans/2-CT/resources/DICOM/files/2.dcm", "two");
        List<Path> files = XnatClient.unzip(new ByteArrayInputStream(z), dir);
        assertEquals(List.of(dir.resolve("1.dcm"), dir.resolve("2.dcm")), files);
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("2.dcm")));
    }

    @Test
    void zipEntriesThatEscapeOrCollideAreRefused(@TempDir Path dir) throws IOException {
        assertThrows(IOException.class, () -> XnatClient.unzip(new ByteArrayInputStream(zip("a/..", "x")), dir.resolve("a")));
        Files.createDirectories(dir.resolve("b"));
        assertThrows(IOException.class, () -> XnatClient.unzip(new ByteArrayInputStream(zip("x/1.dcm", "a", "y/1.dcm", "b")), dir.resolve("b")));
    }
}
