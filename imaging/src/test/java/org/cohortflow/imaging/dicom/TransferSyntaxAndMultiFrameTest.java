package org.cohortflow.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;

import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.SharedSeries;
import org.cohortflow.imaging.TestData;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.Voxels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same slices encoded differently (transfer syntaxes, one multi-frame file) read to the same volume;
 * syntaxes PixelMed cannot decode fail with an error naming the transfer syntax.
 */
class TransferSyntaxAndMultiFrameTest {

    @TempDir
    Path tmp;

    /** Four consecutive slices of the STS_001 CT, implicit VR little endian, and their volume. */
    List<Path> slices;
    Volume reference;

    @BeforeEach
    void pickSlices() throws Exception {
        SharedSeries ct = SharedSeries.all(TestData.require()).stream().filter(s -> s.name().equals("STS_001_CT")).findFirst()
                .orElseThrow(() -> new org.opentest4j.TestAbortedException("STS_001 CT not in the shared data"));
        slices = DicomTestFiles.copy(DicomSeriesReader.single(ct.dicomImages()).files().subList(20, 24), tmp.resolve("implicit"));
        reference = DicomSeriesReader.readVolume(tmp.resolve("implicit"));
        assertEquals(4, reference.geometry().nz());
    }

    private Path recode(String name, String... dcmtkOptions) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (Path s : slices) {
            String tool = dcmtkOptions[0];
            List<String> cmd = new java.util.ArrayList<>(List.of(tool));
            cmd.addAll(List.of(dcmtkOptions).subList(1, dcmtkOptions.length));
            cmd.add(s.toString());
            cmd.add(dir.resolve(s.getFileName()).toString());
            assumeTrue(DicomTestFiles.run(cmd.toArray(String[]::new)), "dcmtk '" + tool + "' not available or failed");
        }
        return dir;
    }

    private void assertSameVolume(Volume v) {
        assertTrue(reference.geometry().sameGrid(v.geometry(), 1e-6));
        for (int i = 0; i < v.voxelCount(); i++) assertEquals(reference.valueAt(i), v.valueAt(i), "voxel " + i);
    }

    @Test
    void explicitLittleEndianDeflatedBigEndianAndRleReadTheSameAsImplicit() throws Exception {
        for (String[] recoding : List.of(new String[] {"explicit", "dcmconv", "+te"}, new String[] {"deflated", "dcmconv", "+td"},
                new String[] {"bigendian", "dcmconv", "+tb"}, new String[] {"rle", "dcmcrle"})) {
            Path dir = recode(recoding[0], java.util.Arrays.copyOfRange(recoding, 1, recoding.length));
            DicomSeries s = DicomSeriesReader.single(dir);
            assertSameVolume(DicomSeriesReader.read(s));
        }
    }

    @Test
    void pixelMedWritesTheSameSlicesInEveryNativeSyntax() throws Exception {
        // Independent of dcmtk: re-encode with PixelMed itself.
        for (String ts : List.of(TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.DeflatedExplicitVRLittleEndian)) {
            Path dir = Files.createDirectories(tmp.resolve("pm-" + ts));
            for (Path s : slices) {
                AttributeList l = new AttributeList();
                l.read(s.toFile());
                DicomTestFiles.write(l, dir.resolve(s.getFileName()), ts);
            }
            assertSameVolume(DicomSeriesReader.readVolume(dir));
        }
    }

    @Test
    void aCompressedSyntaxIsReadOrRejectedNamingTheTransferSyntax() throws Exception {
        Path dir = recode("jpegls", "dcmcjpls");
        try {
            assertSameVolume(DicomSeriesReader.readVolume(dir));
        } catch (ImagingException e) {
            // No JPEG-LS codec on PixelMed's class path: the error must say which syntax could not be decoded.
            assertTrue(e.getMessage().contains("1.2.840.10008.1.2.4.80") && e.getMessage().contains("JPEG-LS"), e.getMessage());
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        }
    }

    @Test
    void jpegLosslessSlicesReadVoxelForVoxelLikeTheUncompressedOnes() throws Exception {
        // PixelMed's JPEG Lossless decoder (pixelmed-imageio) on the class path: first-order prediction
        // (SV1, .4.70, dcmcjpeg's default) and process 14 with another predictor (.4.57).
        for (String[] recoding : List.of(new String[] {"jpeg-lossless-sv1", "dcmcjpeg", "+e1"},
                new String[] {"jpeg-lossless-14", "dcmcjpeg", "+el", "+sv", "6"})) {
            Path dir = recode(recoding[0], java.util.Arrays.copyOfRange(recoding, 1, recoding.length));
            String ts = DicomFiles.string(DicomFiles.readHeader(Files.list(dir).findFirst().orElseThrow()), TagFromName.TransferSyntaxUID);
            assertEquals(recoding[0].endsWith("sv1") ? "1.2.840.10008.1.2.4.70" : "1.2.840.10008.1.2.4.57", ts);
            assertSameVolume(DicomSeriesReader.readVolume(dir));
        }
    }

    @Test
    void anEnhancedMultiFrameFileReadsLikeTheSingleFrameSeries() throws Exception {
        // Build an enhanced-CT-style multi-frame object from the four slices, frames in reverse slice order,
        // so that both the functional groups and the sorting along the normal are exercised.
        List<DicomFrame> frames = DicomSeriesReader.single(tmp.resolve("implicit")).frames();
        AttributeList first = new AttributeList();
        first.read(frames.get(0).file().toFile());
        int plane = frames.get(0).rows() * frames.get(0).columns();
        short[] all = new short[plane * frames.size()];
        AttributeList mf = new AttributeList();
        for (AttributeTag t : new AttributeTag[] {TagFromName.PatientID, TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID,
            TagFromName.FrameOfReferenceUID, TagFromName.Modality, TagFromName.Rows, TagFromName.Columns, TagFromName.BitsAllocated,
            TagFromName.BitsStored, TagFromName.HighBit, TagFromName.PixelRepresentation, TagFromName.SamplesPerPixel,
            TagFromName.PhotometricInterpretation}) {
            mf.put(first.get(t));
        }
        put(mf, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), "1.2.840.10008.5.1.4.1.1.2.1");
        put(mf, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), "1.2.826.0.1.3680043.9.7777.1.1");
        put(mf, new IntegerStringAttribute(TagFromName.NumberOfFrames), String.valueOf(frames.size()));
        SequenceAttribute shared = new SequenceAttribute(TagFromName.SharedFunctionalGroupsSequence);
        AttributeList sharedItem = new AttributeList();
        sharedItem.put(sequence(TagFromName.PlaneOrientationSequence, decimals(TagFromName.ImageOrientationPatient,
                concat(frames.get(0).row(), frames.get(0).column()))));
        sharedItem.put(sequence(TagFromName.PixelMeasuresSequence, decimals(TagFromName.PixelSpacing, frames.get(0).pixelSpacing())));
        shared.addItem(sharedItem);
        mf.put(shared);
        SequenceAttribute perFrame = new SequenceAttribute(TagFromName.PerFrameFunctionalGroupsSequence);
        for (int i = 0; i < frames.size(); i++) {
            DicomFrame f = frames.get(frames.size() - 1 - i);
            AttributeList one = new AttributeList();
            one.read(f.file().toFile());
            System.arraycopy(one.getPixelData().getShortValues(), 0, all, i * plane, plane);
            AttributeList item = new AttributeList();
            item.put(sequence(TagFromName.PlanePositionSequence, decimals(TagFromName.ImagePositionPatient, f.position())));
            AttributeList transform = new AttributeList();
            transform.put(decimals(TagFromName.RescaleSlope, f.slope()));
            transform.put(decimals(TagFromName.RescaleIntercept, f.intercept()));
            Attribute type = new CodeStringAttribute(TagFromName.RescaleType);
            type.addValue("HU");
            transform.put(type);
            SequenceAttribute pvt = new SequenceAttribute(TagFromName.PixelValueTransformationSequence);
            pvt.addItem(transform);
            item.put(pvt);
            perFrame.addItem(item);
        }
        mf.put(perFrame);
        OtherWordAttribute px = new OtherWordAttribute(TagFromName.PixelData);
        px.setValues(all);
        mf.put(px);
        Path dir = Files.createDirectories(tmp.resolve("multiframe"));
        DicomTestFiles.write(mf, dir.resolve("enhanced-ct.dcm"), TransferSyntax.ExplicitVRLittleEndian);

        DicomSeries s = DicomSeriesReader.single(dir);
        assertEquals(frames.size(), s.frames().size());
        assertEquals(1, s.files().size());
        Volume v = DicomSeriesReader.read(s);
        assertInstanceOf(Voxels.ShortVoxels.class, v.voxels());
        assertSameVolume(v);
    }

    @Test
    void aSeriesWithoutRescaleOrWithUnitRescaleIsStoredAs16Bit() {
        assertInstanceOf(Voxels.ShortVoxels.class, reference.voxels());
        assertTrue(reference.sizeInBytes() <= 2L * reference.voxelCount());
    }

    private static double[] concat(double[] a, double[] b) {
        return new double[] {a[0], a[1], a[2], b[0], b[1], b[2]};
    }

    private static void put(AttributeList l, Attribute a, String value) throws Exception {
        a.addValue(value);
        l.put(a);
    }

    private static Attribute decimals(AttributeTag tag, double... values) throws Exception {
        Attribute a = new DecimalStringAttribute(tag);
        for (double v : values) a.addValue(v);
        return a;
    }

    private static SequenceAttribute sequence(AttributeTag tag, Attribute... content) {
        AttributeList item = new AttributeList();
        for (Attribute a : content) item.put(a);
        SequenceAttribute s = new SequenceAttribute(tag);
        s.addItem(item);
        return s;
    }

    @Test
    void aSeriesWithMoreThanOneImageSeriesNeedsChoosing() throws Exception {
        Path mixed = Files.createDirectories(tmp.resolve("two-series"));
        DicomTestFiles.copy(slices, mixed);
        SharedSeries pet = SharedSeries.all(TestData.require()).stream().filter(s -> s.name().equals("STS_001_PET")).findFirst().orElseThrow();
        DicomTestFiles.copy(DicomSeriesReader.single(pet.dicomImages()).files().subList(0, 2), mixed.resolve("pet"));
        assertEquals(2, DicomSeriesReader.scan(mixed).size());
        ImagingException e = assertThrows(ImagingException.class, () -> DicomSeriesReader.single(mixed));
        assertTrue(e.getMessage().contains("found 2") && e.getMessage().contains("CT") && e.getMessage().contains("PT"), e.getMessage());
    }
}
