package org.cohortflow.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DicomFiles#readAttributes} (the indexer's single-pass reader) gives the same values as a full
 * PixelMed header read ({@link DicomFiles#readHeader}) and fails on the same files.
 */
class ReadAttributesTest {
    /** String, numeric and multi-valued attributes of several VRs, present in some files and absent in others. */
    private static final AttributeTag[] TAGS = {
        TagFromName.PatientID, TagFromName.PatientName, TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID,
        TagFromName.SOPInstanceUID, TagFromName.SOPClassUID, TagFromName.Modality, TagFromName.Rows, TagFromName.Columns,
        TagFromName.SeriesDescription, TagFromName.ImageType, TagFromName.PixelSpacing, TagFromName.InstanceNumber,
        TagFromName.BitsAllocated, TagFromName.StructureSetLabel};

    @TempDir
    Path tmp;

    @Test
    void sameValuesAsAFullHeaderReadOnEveryFileOfTheSharedData() throws IOException {
        Path data = TestData.require();
        List<Path> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        int dicom = 0;
        for (Path f : files) {
            if (assertSame(f)) dicom++;
        }
        assertTrue(dicom > 0, "no DICOM files under " + data);
    }

    @Test
    void sameValuesInEveryTransferSyntaxAndWithUtf8MultiValuedAndPaddedStrings() throws Exception {
        Path data = TestData.require();
        Path source;
        try (Stream<Path> s = Files.walk(data.resolve("sts-cohort"))) {
            source = s.filter(p -> p.toString().contains("CT") && p.getParent().getFileName().toString().equals("image"))
                    .filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        AttributeList l = new AttributeList();
        l.read(source.toFile());
        Attribute charset = new CodeStringAttribute(TagFromName.SpecificCharacterSet);
        charset.addValue("ISO_IR 192");
        l.put(charset);
        Attribute description = new LongStringAttribute(TagFromName.SeriesDescription);
        description.addValue(" Thorax \u00e9t\u00e9 ");
        l.put(description);
        Attribute patient = new LongStringAttribute(TagFromName.PatientID);
        patient.addValue("P1");
        patient.addValue("P2");
        l.put(patient);
        List<Path> variants = new ArrayList<>();
        for (String ts : List.of(TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian,
                TransferSyntax.ExplicitVRBigEndian, TransferSyntax.DeflatedExplicitVRLittleEndian)) {
            Path f = tmp.resolve(ts + ".dcm");
            DicomTestFiles.write(l, f, ts);
            variants.add(f);
        }
        for (Path f : variants) {
            assertTrue(assertSame(f), f + " should be readable");
            AttributeList a = DicomFiles.readAttributes(f, TagFromName.SeriesDescription, TagFromName.PatientID);
            assertEquals("Thorax \u00e9t\u00e9", DicomFiles.string(a, TagFromName.SeriesDescription), f.toString());
            assertEquals("P1", DicomFiles.string(a, TagFromName.PatientID), f.toString());
        }
    }

    @Test
    void truncatedAndNonDicomFilesFailAsWithAFullRead() throws Exception {
        Path data = TestData.require();
        Path source;
        try (Stream<Path> s = Files.walk(data.resolve("sts-cohort"))) {
            source = s.filter(p -> p.toString().contains("PET") && p.getParent().getFileName().toString().equals("image"))
                    .filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        Path copy = DicomTestFiles.copy(List.of(source), tmp.resolve("cut")).get(0);
        long size = Files.size(copy);
        for (long cut : new long[] {140, 700, size / 2, size - 1}) {
            DicomTestFiles.truncate(copy, cut);
            ImagingException e = assertThrows(ImagingException.class, () -> DicomFiles.readAttributes(copy, TAGS));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertFalse(e instanceof NotDicomException, e.getMessage());
        }
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not an image\n");
        assertInstanceOf(NotDicomException.class, assertThrows(ImagingException.class, () -> DicomFiles.readAttributes(text, TAGS)));
    }

    /** Asserts both readers agree on {@code f}; false when both reject it. */
    private static boolean assertSame(Path f) {
        AttributeList full;
        try {
            full = DicomFiles.readHeader(f);
        } catch (ImagingException e) {
            ImagingException ours = assertThrows(ImagingException.class, () -> DicomFiles.readAttributes(f, TAGS),
                    f + ": a full read fails (" + e.getMessage() + ") but readAttributes does not");
            assertEquals(e instanceof NotDicomException, ours instanceof NotDicomException, f + ": " + ours.getMessage());
            return false;
        }
        AttributeList few = DicomFiles.readAttributes(f, TAGS);
        for (AttributeTag t : TAGS) {
            Attribute a = full.get(t), b = few.get(t);
            assertEquals(a == null, b == null, f + " " + t + " present in one read only");
            if (a == null) continue;
            try {
                assertEquals(java.util.Arrays.toString(a.getStringValues()), java.util.Arrays.toString(b.getStringValues()), f + " " + t);
            } catch (com.pixelmed.dicom.DicomException e) {
                throw new AssertionError(f + " " + t + ": " + e, e);
            }
        }
        return true;
    }
}
