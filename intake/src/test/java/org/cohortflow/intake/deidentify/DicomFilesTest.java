package org.cohortflow.intake.deidentify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.junit.jupiter.api.Test;

class DicomFilesTest {
    private final Path image = ArchiveTestData.ctPhantomDicom().resolve("image/DCM_IMG_00005.dcm");
    private final Path rtstruct = ArchiveTestData.stsDicom().resolve("STS_001/CT/mask/RS.dcm");

    @Test
    void wholeFilesAreRead() throws Exception {
        assertEquals("CT", Attribute.getSingleStringValueOrEmptyString(DicomFiles.read(image), TagFromName.Modality));
        assertEquals("RTSTRUCT", Attribute.getSingleStringValueOrEmptyString(DicomFiles.read(rtstruct), TagFromName.Modality));
    }

    @Test
    void bytesThatAreNotDicomAreRefusedAtOnce() {
        DicomFiles.NotDicomException e = assertThrows(DicomFiles.NotDicomException.class,
                () -> DicomFiles.read("this is not DICOM, but long enough to look at it".repeat(5).getBytes(), "x"));
        assertTrue(e.getMessage().contains("no 'DICM'"), e.getMessage());
    }

    @Test
    void truncatedImagesAndStructureSetsAreRefused() throws Exception {
        byte[] img = Files.readAllBytes(image);
        for (int cut : new int[] {img.length - 1, img.length / 2, 400}) {
            DicomFiles.NotDicomException e = assertThrows(DicomFiles.NotDicomException.class,
                    () -> DicomFiles.read(Arrays.copyOf(img, cut), "img"), "cut at " + cut);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        byte[] rs = Files.readAllBytes(rtstruct);
        for (int cut : new int[] {rs.length - 3, rs.length / 2, 3000}) {
            DicomFiles.NotDicomException e = assertThrows(DicomFiles.NotDicomException.class,
                    () -> DicomFiles.read(Arrays.copyOf(rs, cut), "rs"), "cut at " + cut);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }
}
