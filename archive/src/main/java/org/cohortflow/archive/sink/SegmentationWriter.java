package org.cohortflow.archive.sink;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.dicom.DicomFiles;
import org.cohortflow.imaging.dicom.DicomFrame;
import org.cohortflow.imaging.dicom.DicomSeries;

/**
 * Writes a {@link Mask} drawn on a DICOM series as a binary DICOM Segmentation (PS3.3 A.51): one segment, one
 * frame per slice that holds part of the mask, each frame deriving from (and positioned as) its source slice;
 * patient and study copied from the series, the same frame of reference, every source instance referenced.
 * The series and instance UIDs derive from the source series, the segment label and the mask's bits, so the
 * same mask written again is the same object.
 */
public final class SegmentationWriter {
    /** SOP Class UID of Segmentation Storage. */
    public static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";
    private static final String[] PATIENT_STUDY = {"PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID",
        "StudyDate", "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber"};

    private SegmentationWriter() {
    }

    /**
     * Writes {@code mask} (on {@code series}' grid) as a segmentation labelled {@code label} to {@code file};
     * returns what was written. An {@link ImagingException} when the grids differ or the mask is empty.
     */
    public static WrittenObject write(DicomSeries series, Mask mask, String label, Path file) {
        mask.requireSameGrid(series.geometry(), Mask.GRID_TOLERANCE_MM, file);
        if (mask.count() == 0) throw new ImagingException(file, "the mask '" + label + "' is empty: nothing to segment");
        List<DicomFrame> frames = series.frames();
        DicomFrame first = frames.get(0);
        AttributeList source = DicomFiles.readHeader(first.file());
        String sourceClass = DicomFiles.string(source, TagFromName.SOPClassUID);
        int rows = first.rows();
        int cols = first.columns();

        // Which slices hold part of the mask, and the bits of those frames, packed contiguously (PS3.5 8.1.1).
        List<Integer> slices = new ArrayList<>();
        for (int z = 0; z < frames.size(); z++) {
            for (int i = 0, base = z * rows * cols; i < rows * cols; i++) {
                if (mask.contains(base + i)) {
                    slices.add(z);
                    break;
                }
            }
        }
        long bits = (long) slices.size() * rows * cols;
        byte[] pixels = new byte[(int) ((bits + 7) / 8 + ((bits + 7) / 8) % 2)];
        long bit = 0;
        for (int z : slices) {
            for (int i = 0, base = z * rows * cols; i < rows * cols; i++, bit++) {
                if (mask.contains(base + i)) pixels[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
            }
        }
        String contentHash = HexFormat.of().formatHex(sha256(pixels));
        String seriesUid = Dicom.uid("seg-series", series.seriesInstanceUid(), label);
        String sopUid = Dicom.uid("seg-instance", series.seriesInstanceUid(), label, contentHash, Integer.toString(slices.size()));
        String[] now = Dicom.now();

        AttributeList l = new AttributeList();
        Dicom.copy(source, l, PATIENT_STUDY);
        Dicom.put(l, "SOPClassUID", SEGMENTATION_STORAGE);
        Dicom.put(l, "SOPInstanceUID", sopUid);
        Dicom.put(l, "Modality", "SEG");
        Dicom.put(l, "SeriesInstanceUID", seriesUid);
        Dicom.put(l, "SeriesNumber", "901");
        Dicom.put(l, "SeriesDescription", ("cohortflow " + label).substring(0, Math.min(64, ("cohortflow " + label).length())));
        Dicom.put(l, "FrameOfReferenceUID", series.frameOfReferenceUid());
        Dicom.put(l, "PositionReferenceIndicator");
        Dicom.put(l, "Manufacturer", "cohortflow");
        Dicom.put(l, "ManufacturerModelName", "cohortflow archive");
        Dicom.put(l, "DeviceSerialNumber", "1");
        Dicom.put(l, "SoftwareVersions", "1");
        Dicom.put(l, "InstanceNumber", "1");
        Dicom.put(l, "ContentDate", now[0]);
        Dicom.put(l, "ContentTime", now[1]);
        Dicom.put(l, "ImageType", "DERIVED", "PRIMARY");
        Dicom.put(l, "ContentLabel", "ROI");
        Dicom.put(l, "ContentDescription", label.length() > 64 ? label.substring(0, 64) : label);
        Dicom.put(l, "ContentCreatorName", "cohortflow");
        Dicom.put(l, "SegmentationType", "BINARY");
        Dicom.put(l, "LossyImageCompression", "00");
        Dicom.putInt(l, "SamplesPerPixel", 1);
        Dicom.put(l, "PhotometricInterpretation", "MONOCHROME2");
        Dicom.putInt(l, "Rows", rows);
        Dicom.putInt(l, "Columns", cols);
        Dicom.putInt(l, "BitsAllocated", 1);
        Dicom.putInt(l, "BitsStored", 1);
        Dicom.putInt(l, "HighBit", 0);
        Dicom.putInt(l, "PixelRepresentation", 0);
        Dicom.put(l, "NumberOfFrames", Integer.toString(slices.size()));

        AttributeList segment = new AttributeList();
        Dicom.putInt(segment, "SegmentNumber", 1);
        Dicom.put(segment, "SegmentLabel", label.length() > 64 ? label.substring(0, 64) : label);
        Dicom.put(segment, "SegmentAlgorithmType", "MANUAL");
        Dicom.sequence(segment, "SegmentedPropertyCategoryCodeSequence", Dicom.code("49755003", "SCT", "Morphologically Altered Structure"));
        Dicom.sequence(segment, "SegmentedPropertyTypeCodeSequence", Dicom.code("108369006", "SCT", "Neoplasm"));
        Dicom.sequence(l, "SegmentSequence", segment);

        AttributeList dimOrg = new AttributeList();
        String dimUid = Dicom.uid("seg-dimensions", seriesUid);
        Dicom.put(dimOrg, "DimensionOrganizationUID", dimUid);
        Dicom.sequence(l, "DimensionOrganizationSequence", dimOrg);
        AttributeList dim1 = new AttributeList();
        Dicom.put(dim1, "DimensionOrganizationUID", dimUid);
        Dicom.putTags(dim1, "DimensionIndexPointer", Dicom.tag("ReferencedSegmentNumber"));
        Dicom.putTags(dim1, "FunctionalGroupPointer", Dicom.tag("SegmentIdentificationSequence"));
        AttributeList dim2 = new AttributeList();
        Dicom.put(dim2, "DimensionOrganizationUID", dimUid);
        Dicom.putTags(dim2, "DimensionIndexPointer", Dicom.tag("ImagePositionPatient"));
        Dicom.putTags(dim2, "FunctionalGroupPointer", Dicom.tag("PlanePositionSequence"));
        Dicom.sequence(l, "DimensionIndexSequence", dim1, dim2);

        AttributeList shared = new AttributeList();
        AttributeList measures = new AttributeList();
        double[] spacing = series.geometry().spacing();
        Dicom.putDecimals(measures, "PixelSpacing", first.pixelSpacing());
        Dicom.putDecimals(measures, "SliceThickness", spacing[2]);
        Dicom.putDecimals(measures, "SpacingBetweenSlices", spacing[2]);
        Dicom.sequence(shared, "PixelMeasuresSequence", measures);
        AttributeList orientation = new AttributeList();
        double[] r = first.row();
        double[] c = first.column();
        Dicom.putDecimals(orientation, "ImageOrientationPatient", r[0], r[1], r[2], c[0], c[1], c[2]);
        Dicom.sequence(shared, "PlaneOrientationSequence", orientation);
        Dicom.sequence(l, "SharedFunctionalGroupsSequence", shared);

        List<AttributeList> perFrame = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) {
            DicomFrame f = frames.get(slices.get(i));
            AttributeList fg = new AttributeList();
            AttributeList src = new AttributeList();
            Dicom.put(src, "ReferencedSOPClassUID", sourceClass);
            Dicom.put(src, "ReferencedSOPInstanceUID", f.sopInstanceUid());
            Dicom.sequence(src, "PurposeOfReferenceCodeSequence", Dicom.code("121322", "DCM", "Source image for image processing operation"));
            AttributeList derivation = new AttributeList();
            Dicom.sequence(derivation, "DerivationCodeSequence", Dicom.code("113076", "DCM", "Segmentation"));
            Dicom.sequence(derivation, "SourceImageSequence", src);
            Dicom.sequence(fg, "DerivationImageSequence", derivation);
            AttributeList content = new AttributeList();
            Dicom.putInt(content, "DimensionIndexValues", 1, i + 1);
            Dicom.sequence(fg, "FrameContentSequence", content);
            AttributeList position = new AttributeList();
            Dicom.putDecimals(position, "ImagePositionPatient", f.position());
            Dicom.sequence(fg, "PlanePositionSequence", position);
            AttributeList segId = new AttributeList();
            Dicom.putInt(segId, "ReferencedSegmentNumber", 1);
            Dicom.sequence(fg, "SegmentIdentificationSequence", segId);
            perFrame.add(fg);
        }
        Dicom.sequence(l, "PerFrameFunctionalGroupsSequence", perFrame.toArray(AttributeList[]::new));

        List<AttributeList> instances = new ArrayList<>();
        for (DicomFrame f : frames) {
            AttributeList ref = new AttributeList();
            Dicom.put(ref, "ReferencedSOPClassUID", sourceClass);
            Dicom.put(ref, "ReferencedSOPInstanceUID", f.sopInstanceUid());
            instances.add(ref);
        }
        AttributeList refSeries = new AttributeList();
        Dicom.put(refSeries, "SeriesInstanceUID", series.seriesInstanceUid());
        Dicom.sequence(refSeries, "ReferencedInstanceSequence", instances.toArray(AttributeList[]::new));
        Dicom.sequence(l, "ReferencedSeriesSequence", refSeries);

        OtherByteAttribute pixelData = new OtherByteAttribute(TagFromName.PixelData);
        try {
            pixelData.setValues(pixels);
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new ImagingException(file, "cannot set pixel data: " + e.getMessage(), e);
        }
        l.put(pixelData);
        Dicom.write(l, file);
        return new WrittenObject(file, series.studyInstanceUid(), seriesUid, sopUid);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
