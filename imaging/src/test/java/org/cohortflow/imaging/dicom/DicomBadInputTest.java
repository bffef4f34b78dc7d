package org.cohortflow.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.TagFromName;

import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.SharedSeries;
import org.cohortflow.imaging.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken series built from real files: each problem is reported clearly, naming the files concerned. */
class DicomBadInputTest {

    @TempDir
    Path tmp;

    /** The STS_002 PET series (48 small slices) copied to the temp dir, in slice order. */
    List<Path> slices;

    @BeforeEach
    void copySeries() throws Exception {
        SharedSeries pet = SharedSeries.all(TestData.require()).stream().filter(s -> s.name().equals("STS_002_PET")).findFirst()
                .orElseThrow(() -> new org.opentest4j.TestAbortedException("STS_002 PET not in the shared data"));
        slices = DicomTestFiles.copy(DicomSeriesReader.single(pet.dicomImages()).files(), tmp.resolve("series"));
    }

    private static ImagingException readFails(Path dir) {
        return assertThrows(ImagingException.class, () -> DicomSeriesReader.readVolume(dir));
    }

    @Test
    void theCopiedSeriesReadsCleanly() {
        DicomSeries s = DicomSeriesReader.single(tmp.resolve("series"));
        assertTrue(s.isRegular(), s.problems()::toString);
        assertEquals(slices.size(), DicomSeriesReader.read(s).geometry().nz());
    }

    @Test
    void aTruncatedSliceIsAnErrorNamingTheFile() throws Exception {
        Path victim = slices.get(10);
        DicomTestFiles.truncate(victim, Files.size(victim) - 500);
        ImagingException e = readFails(tmp.resolve("series"));
        assertTrue(e.getMessage().contains(victim.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(victim, e.path().orElseThrow());
    }

    @Test
    void aFileTruncatedInsideTheHeaderIsAnErrorNamingTheFile() throws Exception {
        Path victim = slices.get(3);
        DicomTestFiles.truncate(victim, 700);
        ImagingException e = readFails(tmp.resolve("series"));
        assertTrue(e.getMessage().contains(victim.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aMissingSliceIsReportedAsAGapBetweenItsNeighbours() throws Exception {
        Files.delete(slices.get(20));
        DicomSeries s = DicomSeriesReader.single(tmp.resolve("series"));
        assertFalse(s.isRegular());
        String problems = String.join("\n", s.problems());
        assertTrue(problems.contains("gap") && problems.contains("1 missing slice"), problems);
        assertTrue(problems.contains(slices.get(19).toString()) && problems.contains(slices.get(21).toString()), problems);
        ImagingException e = readFails(tmp.resolve("series"));
        assertTrue(e.getMessage().contains("gap"), e.getMessage());
    }

    @Test
    void twoSlicesAtTheSamePositionAreReportedAsDuplicates() throws Exception {
        Path dup = tmp.resolve("series").resolve("duplicate.dcm");
        Files.copy(slices.get(5), dup);
        DicomTestFiles.edit(dup, l -> DicomTestFiles.newSopInstanceUid(l, "99"));
        String problems = String.join("\n", DicomSeriesReader.single(tmp.resolve("series")).problems());
        assertTrue(problems.contains("duplicate slice position") && problems.contains("duplicate.dcm"), problems);
    }

    @Test
    void aSliceWithAnotherOrientationIsReportedAsMixedOrientations() throws Exception {
        Path odd = slices.get(7);
        DicomTestFiles.edit(odd, l -> DicomTestFiles.setDecimals(l, TagFromName.ImageOrientationPatient, 1, 0, 0, 0, 0.8, -0.6));
        String problems = String.join("\n", DicomSeriesReader.single(tmp.resolve("series")).problems());
        assertTrue(problems.contains("mixed orientations") && problems.contains(odd.toString()), problems);
    }

    @Test
    void aShiftedSliceIsReportedAsNonUniformSpacing() throws Exception {
        Path odd = slices.get(30);
        double[] p = DicomFiles.doubles(DicomFiles.readHeader(odd), TagFromName.ImagePositionPatient);
        DicomTestFiles.edit(odd, l -> DicomTestFiles.setDecimals(l, TagFromName.ImagePositionPatient, p[0], p[1], p[2] + 1.0));
        String problems = String.join("\n", DicomSeriesReader.single(tmp.resolve("series")).problems());
        assertTrue(problems.contains("non-uniform slice spacing") && problems.contains(odd.toString()), problems);
    }

    @Test
    void nonDicomFilesInASeriesFolderAreIgnoredByTheScan() throws Exception {
        Files.writeString(tmp.resolve("series").resolve("README.txt"), "not an image\n");
        Files.write(tmp.resolve("series").resolve("garbage.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertTrue(DicomSeriesReader.single(tmp.resolve("series")).isRegular());
    }

    @Test
    void aGarbageFileIsNotADicomFile() throws Exception {
        Path junk = tmp.resolve("junk.dcm");
        byte[] b = new byte[4096];
        new java.util.Random(42).nextBytes(b);
        Files.write(junk, b);
        ImagingException e = assertThrows(ImagingException.class, () -> DicomFiles.readHeader(junk));
        assertTrue(e.getMessage().contains(junk.toString()) && e.getMessage().contains("not a DICOM file"), e.getMessage());
    }
}
