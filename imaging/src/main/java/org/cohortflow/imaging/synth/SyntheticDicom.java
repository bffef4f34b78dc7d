package org.cohortflow.imaging.synth;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.Voxels;

/** Writes a {@link SyntheticSubject} as DICOM files with PixelMed (explicit VR little endian). */
final class SyntheticDicom {
    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final String RT_STRUCTURE_SET_STORAGE = "1.2.840.10008.5.1.4.1.1.481.3";
    // The class RT Referenced Study items name (PS3.3 C.8.8.5); retired as a service but still what RT systems write.
    private static final String DETACHED_STUDY_MANAGEMENT = "1.2.840.10008.3.1.2.3.1";
    private static final String AE_TITLE = "COHORTFLOW";
    // A fixed date keeps the files a pure function of the seed.
    private static final String DATE = "20240101";
    private static final String TIME = "120000";

    // Tags by number: this PixelMed release's TagFromName lacks most RT and some CT names.
    private static final AttributeTag KVP = new AttributeTag(0x0018, 0x0060);
    private static final AttributeTag StructureSetLabel = new AttributeTag(0x3006, 0x0002);
    private static final AttributeTag StructureSetName = new AttributeTag(0x3006, 0x0004);
    private static final AttributeTag StructureSetDate = new AttributeTag(0x3006, 0x0008);
    private static final AttributeTag StructureSetTime = new AttributeTag(0x3006, 0x0009);
    private static final AttributeTag ReferencedFrameOfReferenceSequence = new AttributeTag(0x3006, 0x0010);
    private static final AttributeTag RTReferencedStudySequence = new AttributeTag(0x3006, 0x0012);
    private static final AttributeTag RTReferencedSeriesSequence = new AttributeTag(0x3006, 0x0014);
    private static final AttributeTag ContourImageSequence = new AttributeTag(0x3006, 0x0016);
    private static final AttributeTag StructureSetROISequence = new AttributeTag(0x3006, 0x0020);
    private static final AttributeTag ROINumber = new AttributeTag(0x3006, 0x0022);
    private static final AttributeTag ReferencedFrameOfReferenceUID = new AttributeTag(0x3006, 0x0024);
    private static final AttributeTag ROIName = new AttributeTag(0x3006, 0x0026);
    private static final AttributeTag ROIDisplayColor = new AttributeTag(0x3006, 0x002A);
    private static final AttributeTag ROIGenerationAlgorithm = new AttributeTag(0x3006, 0x0036);
    private static final AttributeTag ROIContourSequence = new AttributeTag(0x3006, 0x0039);
    private static final AttributeTag ContourSequence = new AttributeTag(0x3006, 0x0040);
    private static final AttributeTag ContourGeometricType = new AttributeTag(0x3006, 0x0042);
    private static final AttributeTag NumberOfContourPoints = new AttributeTag(0x3006, 0x0046);
    private static final AttributeTag ContourNumber = new AttributeTag(0x3006, 0x0048);
    private static final AttributeTag ContourData = new AttributeTag(0x3006, 0x0050);
    private static final AttributeTag RTROIObservationsSequence = new AttributeTag(0x3006, 0x0080);
    private static final AttributeTag ObservationNumber = new AttributeTag(0x3006, 0x0082);
    private static final AttributeTag ReferencedROINumber = new AttributeTag(0x3006, 0x0084);
    private static final AttributeTag RTROIInterpretedType = new AttributeTag(0x3006, 0x00A4);
    private static final AttributeTag ROIInterpreter = new AttributeTag(0x3006, 0x00A6);

    // Standard tags, by number so that this class does not depend on which names TagFromName carries.
    private static final AttributeTag SpecificCharacterSet = new AttributeTag(0x0008, 0x0005);
    private static final AttributeTag ImageType = new AttributeTag(0x0008, 0x0008);
    private static final AttributeTag SOPClassUID = new AttributeTag(0x0008, 0x0016);
    private static final AttributeTag SOPInstanceUID = new AttributeTag(0x0008, 0x0018);
    private static final AttributeTag StudyDate = new AttributeTag(0x0008, 0x0020);
    private static final AttributeTag SeriesDate = new AttributeTag(0x0008, 0x0021);
    private static final AttributeTag ContentDate = new AttributeTag(0x0008, 0x0023);
    private static final AttributeTag StudyTime = new AttributeTag(0x0008, 0x0030);
    private static final AttributeTag SeriesTime = new AttributeTag(0x0008, 0x0031);
    private static final AttributeTag ContentTime = new AttributeTag(0x0008, 0x0033);
    private static final AttributeTag AccessionNumber = new AttributeTag(0x0008, 0x0050);
    private static final AttributeTag Modality = new AttributeTag(0x0008, 0x0060);
    private static final AttributeTag Manufacturer = new AttributeTag(0x0008, 0x0070);
    private static final AttributeTag ReferringPhysicianName = new AttributeTag(0x0008, 0x0090);
    private static final AttributeTag StudyDescription = new AttributeTag(0x0008, 0x1030);
    private static final AttributeTag SeriesDescription = new AttributeTag(0x0008, 0x103E);
    private static final AttributeTag ManufacturerModelName = new AttributeTag(0x0008, 0x1090);
    private static final AttributeTag ReferencedSOPClassUID = new AttributeTag(0x0008, 0x1150);
    private static final AttributeTag ReferencedSOPInstanceUID = new AttributeTag(0x0008, 0x1155);
    private static final AttributeTag PatientName = new AttributeTag(0x0010, 0x0010);
    private static final AttributeTag PatientID = new AttributeTag(0x0010, 0x0020);
    private static final AttributeTag PatientBirthDate = new AttributeTag(0x0010, 0x0030);
    private static final AttributeTag PatientSex = new AttributeTag(0x0010, 0x0040);
    private static final AttributeTag BodyPartExamined = new AttributeTag(0x0018, 0x0015);
    private static final AttributeTag SliceThickness = new AttributeTag(0x0018, 0x0050);
    private static final AttributeTag SoftwareVersions = new AttributeTag(0x0018, 0x1020);
    private static final AttributeTag PatientPosition = new AttributeTag(0x0018, 0x5100);
    private static final AttributeTag StudyInstanceUID = new AttributeTag(0x0020, 0x000D);
    private static final AttributeTag SeriesInstanceUID = new AttributeTag(0x0020, 0x000E);
    private static final AttributeTag StudyID = new AttributeTag(0x0020, 0x0010);
    private static final AttributeTag SeriesNumber = new AttributeTag(0x0020, 0x0011);
    private static final AttributeTag AcquisitionNumber = new AttributeTag(0x0020, 0x0012);
    private static final AttributeTag InstanceNumber = new AttributeTag(0x0020, 0x0013);
    private static final AttributeTag ImagePositionPatient = new AttributeTag(0x0020, 0x0032);
    private static final AttributeTag ImageOrientationPatient = new AttributeTag(0x0020, 0x0037);
    private static final AttributeTag FrameOfReferenceUID = new AttributeTag(0x0020, 0x0052);
    private static final AttributeTag PositionReferenceIndicator = new AttributeTag(0x0020, 0x1040);
    private static final AttributeTag SliceLocation = new AttributeTag(0x0020, 0x1041);
    private static final AttributeTag SamplesPerPixel = new AttributeTag(0x0028, 0x0002);
    private static final AttributeTag PhotometricInterpretation = new AttributeTag(0x0028, 0x0004);
    private static final AttributeTag Rows = new AttributeTag(0x0028, 0x0010);
    private static final AttributeTag Columns = new AttributeTag(0x0028, 0x0011);
    private static final AttributeTag PixelSpacing = new AttributeTag(0x0028, 0x0030);
    private static final AttributeTag BitsAllocated = new AttributeTag(0x0028, 0x0100);
    private static final AttributeTag BitsStored = new AttributeTag(0x0028, 0x0101);
    private static final AttributeTag HighBit = new AttributeTag(0x0028, 0x0102);
    private static final AttributeTag PixelRepresentation = new AttributeTag(0x0028, 0x0103);
    private static final AttributeTag WindowCenter = new AttributeTag(0x0028, 0x1050);
    private static final AttributeTag WindowWidth = new AttributeTag(0x0028, 0x1051);
    private static final AttributeTag RescaleIntercept = new AttributeTag(0x0028, 0x1052);
    private static final AttributeTag RescaleSlope = new AttributeTag(0x0028, 0x1053);
    private static final AttributeTag RescaleType = new AttributeTag(0x0028, 0x1054);
    private static final AttributeTag PixelData = new AttributeTag(0x7FE0, 0x0010);

    private SyntheticDicom() {
    }

    /** Writes one CT Image Storage file per slice of {@code image} (HU) into {@code dir}: {@code CT_0001.dcm}, ... */
    static void writeCt(SyntheticSubject s, Volume image, Path dir) {
        Geometry g = image.geometry();
        if (!(image.voxels() instanceof Voxels.ShortVoxels voxels)) {
            throw new IllegalArgumentException("the synthetic CT is 16-bit");
        }
        short[] hu = voxels.toShortArray();
        int plane = g.nx() * g.ny();
        createDirectories(dir);
        for (int k = 0; k < g.nz(); k++) {
            AttributeList l = new AttributeList();
            try {
                common(l, s);
                put(l, new UniqueIdentifierAttribute(SOPClassUID), CT_IMAGE_STORAGE);
                put(l, new UniqueIdentifierAttribute(SOPInstanceUID), s.uids().instances().get(k));
                put(l, new CodeStringAttribute(ImageType), "ORIGINAL", "PRIMARY", "AXIAL");
                put(l, new CodeStringAttribute(Modality), "CT");
                put(l, new UniqueIdentifierAttribute(SeriesInstanceUID), s.uids().series());
                put(l, new IntegerStringAttribute(SeriesNumber), "1");
                put(l, new LongStringAttribute(SeriesDescription), "synthetic CT");
                put(l, new DateAttribute(SeriesDate), DATE);
                put(l, new TimeAttribute(SeriesTime), TIME);
                put(l, new DateAttribute(ContentDate), DATE);
                put(l, new TimeAttribute(ContentTime), TIME);
                put(l, new CodeStringAttribute(BodyPartExamined), "CHEST");
                put(l, new CodeStringAttribute(PatientPosition), "HFS");
                put(l, new DecimalStringAttribute(KVP), "120");
                put(l, new DecimalStringAttribute(SliceThickness), ds(g.spacing()[2]));
                put(l, new UniqueIdentifierAttribute(FrameOfReferenceUID), s.uids().frameOfReference());
                put(l, new LongStringAttribute(PositionReferenceIndicator));
                put(l, new IntegerStringAttribute(AcquisitionNumber), "1");
                put(l, new IntegerStringAttribute(InstanceNumber), Integer.toString(k + 1));
                double[] p = g.indexToWorld(0, 0, k);
                put(l, new DecimalStringAttribute(ImagePositionPatient), ds(p[0]), ds(p[1]), ds(p[2]));
                double[] row = g.axis(0), col = g.axis(1);
                put(l, new DecimalStringAttribute(ImageOrientationPatient), ds(row[0]), ds(row[1]), ds(row[2]), ds(col[0]), ds(col[1]),
                        ds(col[2]));
                put(l, new DecimalStringAttribute(SliceLocation), ds(p[2]));
                // PixelSpacing is row spacing (between rows, along y) then column spacing.
                put(l, new DecimalStringAttribute(PixelSpacing), ds(g.spacing()[1]), ds(g.spacing()[0]));
                putUs(l, SamplesPerPixel, 1);
                put(l, new CodeStringAttribute(PhotometricInterpretation), "MONOCHROME2");
                putUs(l, Rows, g.ny());
                putUs(l, Columns, g.nx());
                putUs(l, BitsAllocated, 16);
                putUs(l, BitsStored, 16);
                putUs(l, HighBit, 15);
                putUs(l, PixelRepresentation, 1);
                put(l, new DecimalStringAttribute(WindowCenter), "40");
                put(l, new DecimalStringAttribute(WindowWidth), "400");
                put(l, new DecimalStringAttribute(RescaleIntercept), Integer.toString(SyntheticSubject.RESCALE_INTERCEPT));
                put(l, new DecimalStringAttribute(RescaleSlope), "1");
                put(l, new LongStringAttribute(RescaleType), "HU");
                short[] stored = new short[plane];
                for (int i = 0; i < plane; i++) stored[i] = (short) (hu[k * plane + i] - SyntheticSubject.RESCALE_INTERCEPT);
                OtherWordAttribute pixels = new OtherWordAttribute(PixelData);
                pixels.setValues(stored);
                l.put(pixels);
            } catch (DicomException e) {
                throw new ImagingException(dir, "cannot build CT slice " + (k + 1) + ": " + e.getMessage(), e);
            }
            write(l, dir.resolve(String.format("CT_%04d.dcm", k + 1)));
        }
    }

    /**
     * Writes an RT Structure Set with one ROI, {@value SyntheticSubject#ROI_NAME}, made of {@code contours},
     * referencing the subject's CT series, its frame of reference and, per contour, the slice it lies on.
     */
    static void writeRtStruct(SyntheticSubject s, List<SyntheticSubject.Contour> contours, Path file) {
        SyntheticSubject.SubjectUids u = s.uids();
        AttributeList l = new AttributeList();
        try {
            common(l, s);
            put(l, new UniqueIdentifierAttribute(SOPClassUID), RT_STRUCTURE_SET_STORAGE);
            put(l, new UniqueIdentifierAttribute(SOPInstanceUID), u.structureSet());
            put(l, new CodeStringAttribute(Modality), "RTSTRUCT");
            put(l, new UniqueIdentifierAttribute(SeriesInstanceUID), u.structureSetSeries());
            put(l, new IntegerStringAttribute(SeriesNumber), "2");
            put(l, new LongStringAttribute(SeriesDescription), "synthetic lesion");
            put(l, new IntegerStringAttribute(InstanceNumber), "1");
            put(l, new ShortStringAttribute(StructureSetLabel), "SYNTH");
            put(l, new LongStringAttribute(StructureSetName), "synthetic lesion");
            put(l, new DateAttribute(StructureSetDate), DATE);
            put(l, new TimeAttribute(StructureSetTime), TIME);

            SequenceAttribute images = new SequenceAttribute(ContourImageSequence);
            for (String sop : u.instances()) images.addItem(imageRef(sop));
            AttributeList series = new AttributeList();
            put(series, new UniqueIdentifierAttribute(SeriesInstanceUID), u.series());
            series.put(images);
            AttributeList study = new AttributeList();
            put(study, new UniqueIdentifierAttribute(ReferencedSOPClassUID), DETACHED_STUDY_MANAGEMENT);
            put(study, new UniqueIdentifierAttribute(ReferencedSOPInstanceUID), u.study());
            study.put(sequence(RTReferencedSeriesSequence, series));
            AttributeList frame = new AttributeList();
            put(frame, new UniqueIdentifierAttribute(FrameOfReferenceUID), u.frameOfReference());
            frame.put(sequence(RTReferencedStudySequence, study));
            l.put(sequence(ReferencedFrameOfReferenceSequence, frame));

            AttributeList roi = new AttributeList();
            put(roi, new IntegerStringAttribute(ROINumber), "1");
            put(roi, new UniqueIdentifierAttribute(ReferencedFrameOfReferenceUID), u.frameOfReference());
            put(roi, new LongStringAttribute(ROIName), SyntheticSubject.ROI_NAME);
            put(roi, new CodeStringAttribute(ROIGenerationAlgorithm), "AUTOMATIC");
            l.put(sequence(StructureSetROISequence, roi));

            SequenceAttribute contourSeq = new SequenceAttribute(ContourSequence);
            int number = 1;
            for (SyntheticSubject.Contour c : contours) {
                AttributeList item = new AttributeList();
                item.put(sequence(ContourImageSequence, imageRef(u.instances().get(c.slice()))));
                put(item, new CodeStringAttribute(ContourGeometricType), "CLOSED_PLANAR");
                put(item, new IntegerStringAttribute(NumberOfContourPoints), Integer.toString(c.size()));
                put(item, new IntegerStringAttribute(ContourNumber), Integer.toString(number++));
                Attribute data = new DecimalStringAttribute(ContourData);
                for (double v : c.points()) data.addValue(ds(v));
                item.put(data);
                contourSeq.addItem(item);
            }
            AttributeList roiContour = new AttributeList();
            put(roiContour, new IntegerStringAttribute(ROIDisplayColor), "255", "0", "0");
            roiContour.put(contourSeq);
            put(roiContour, new IntegerStringAttribute(ReferencedROINumber), "1");
            l.put(sequence(ROIContourSequence, roiContour));

            AttributeList observation = new AttributeList();
            put(observation, new IntegerStringAttribute(ObservationNumber), "1");
            put(observation, new IntegerStringAttribute(ReferencedROINumber), "1");
            put(observation, new CodeStringAttribute(RTROIInterpretedType), "GTV");
            put(observation, new PersonNameAttribute(ROIInterpreter));
            l.put(sequence(RTROIObservationsSequence, observation));
        } catch (DicomException e) {
            throw new ImagingException(file, "cannot build RTSTRUCT: " + e.getMessage(), e);
        }
        createDirectories(file.getParent());
        write(l, file);
    }

    /** Patient, study and equipment attributes shared by every file of a subject. */
    private static void common(AttributeList l, SyntheticSubject s) throws DicomException {
        put(l, new CodeStringAttribute(SpecificCharacterSet), "ISO_IR 100");
        put(l, new PersonNameAttribute(PatientName), "SYNTHETIC^" + s.id());
        put(l, new LongStringAttribute(PatientID), s.id());
        put(l, new DateAttribute(PatientBirthDate));
        put(l, new CodeStringAttribute(PatientSex), "O");
        put(l, new UniqueIdentifierAttribute(StudyInstanceUID), s.uids().study());
        put(l, new DateAttribute(StudyDate), DATE);
        put(l, new TimeAttribute(StudyTime), TIME);
        put(l, new PersonNameAttribute(ReferringPhysicianName));
        put(l, new ShortStringAttribute(StudyID), "1");
        put(l, new ShortStringAttribute(AccessionNumber));
        put(l, new LongStringAttribute(StudyDescription), "cohortflow synthetic cohort");
        put(l, new LongStringAttribute(Manufacturer), "cohortflow");
        put(l, new LongStringAttribute(ManufacturerModelName), "synth");
        put(l, new LongStringAttribute(SoftwareVersions), "cohortflow synth, seed " + s.seed());
    }

    private static AttributeList imageRef(String sopInstanceUid) throws DicomException {
        AttributeList ref = new AttributeList();
        put(ref, new UniqueIdentifierAttribute(ReferencedSOPClassUID), CT_IMAGE_STORAGE);
        put(ref, new UniqueIdentifierAttribute(ReferencedSOPInstanceUID), sopInstanceUid);
        return ref;
    }

    private static SequenceAttribute sequence(AttributeTag tag, AttributeList item) {
        SequenceAttribute s = new SequenceAttribute(tag);
        s.addItem(item);
        return s;
    }

    private static void put(AttributeList l, Attribute a, String... values) throws DicomException {
        for (String v : values) a.addValue(v);
        l.put(a);
    }

    private static void putUs(AttributeList l, AttributeTag tag, int value) throws DicomException {
        Attribute a = new UnsignedShortAttribute(tag);
        a.addValue(value);
        l.put(a);
    }

    /**
     * A decimal string of at most 16 characters (the DS limit): up to 6 decimals, trailing zeros dropped.
     * Micrometre precision is far below any voxel size.
     */
    static String ds(double v) {
        String s = BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        if (s.equals("-0")) s = "0";
        if (s.length() > 16) throw new IllegalArgumentException("value does not fit a DICOM decimal string: " + v);
        return s;
    }

    private static void write(AttributeList l, Path file) {
        try {
            FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, AE_TITLE);
            l.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (IOException | DicomException e) {
            throw new ImagingException(file, "cannot write DICOM: " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ImagingException(dir, "cannot create folder: " + e.getMessage(), e);
        }
    }
}
