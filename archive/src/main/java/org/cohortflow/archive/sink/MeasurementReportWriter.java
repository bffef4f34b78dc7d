package org.cohortflow.archive.sink;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.cohortflow.dsl.types.Tabular;
import org.cohortflow.imaging.dicom.DicomFiles;
import org.cohortflow.imaging.dicom.DicomFrame;
import org.cohortflow.imaging.dicom.DicomSeries;

/**
 * Writes the numbers of a table (e.g. a subject's radiomics features) as a DICOM Comprehensive Structured Report
 * (PS3.3 A.35.3) about a source series: an "Imaging Measurement Report" container holding the source series and
 * frame of reference UIDs, a reference to the segmentation the values were measured in (when given), and one NUM
 * item per row with a numeric value; each NUM keeps the exact double ({@code FloatingPointValue}) next to its
 * 16-character decimal string, and the row's full name as a tracking identifier. The evidence sequence lists every
 * referenced instance. UIDs derive from the source series and the values, so an unchanged result is the same object.
 *
 * <p>Names come from the table's text columns ({@code feature}, {@code aggregation}, {@code roi}, ...; never
 * {@code sample} or {@code reason}); codes are the {@code ibsi_code} column where there is one (scheme
 * {@code 99IBSI}), else a hash of the name (scheme {@code 99CFLOW}).
 */
public final class MeasurementReportWriter {
    /** SOP Class UID of Comprehensive SR Storage. */
    public static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
    private static final String[] PATIENT_STUDY = {"PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID",
        "StudyDate", "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber"};

    private MeasurementReportWriter() {
    }

    /** Writes the report to {@code file}, referencing {@code seg} (the segmentation the values were measured in) if given. */
    public static WrittenObject write(DicomSeries series, Tabular table, Optional<WrittenObject> seg, Path file) {
        List<DicomFrame> frames = series.frames();
        AttributeList source = DicomFiles.readHeader(frames.get(0).file());
        String sourceClass = DicomFiles.string(source, TagFromName.SOPClassUID);

        List<String[]> measurements = new ArrayList<>(); // code, scheme, name, value
        int valueColumn = -1;
        int codeColumn = -1;
        List<Integer> nameColumns = new ArrayList<>();
        for (int c = 0; c < table.columns().size(); c++) {
            Tabular.Column col = table.columns().get(c);
            if (col.type() == Tabular.ColumnType.DOUBLE && valueColumn < 0) valueColumn = c;
            else if (col.name().equals("ibsi_code")) codeColumn = c;
            else if (col.type() == Tabular.ColumnType.STRING && !col.name().equals("sample") && !col.name().equals("reason")) nameColumns.add(c);
        }
        if (valueColumn < 0) throw new IllegalArgumentException("the table has no numeric column to report");
        MessageDigest content = sha256();
        for (int r = 0; r < table.rowCount(); r++) {
            Object v = table.value(r, valueColumn);
            if (!(v instanceof Double d) || d.isNaN() || d.isInfinite()) continue;
            List<String> parts = new ArrayList<>();
            for (int c : nameColumns) {
                Object s = table.value(r, c);
                if (s != null && !s.toString().isBlank()) parts.add(s.toString());
            }
            String name = String.join(" ", parts);
            Object code = codeColumn < 0 ? null : table.value(r, codeColumn);
            boolean ibsi = code != null && !code.toString().isBlank() && code.toString().length() <= 16;
            String codeValue = ibsi ? code.toString() : HexFormat.of().formatHex(sha256(name)).substring(0, 16);
            measurements.add(new String[] {codeValue, ibsi ? "99IBSI" : "99CFLOW", name, Double.toString(d)});
            content.update((name + "\0" + Double.doubleToLongBits(d) + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String valuesHash = HexFormat.of().formatHex(content.digest());
        String seriesUid = Dicom.uid("sr-series", series.seriesInstanceUid());
        String sopUid = Dicom.uid("sr-instance", series.seriesInstanceUid(), seg.map(WrittenObject::sopUid).orElse(""), valuesHash);
        String[] now = Dicom.now();

        AttributeList l = new AttributeList();
        Dicom.copy(source, l, PATIENT_STUDY);
        Dicom.put(l, "SOPClassUID", COMPREHENSIVE_SR);
        Dicom.put(l, "SOPInstanceUID", sopUid);
        Dicom.put(l, "Modality", "SR");
        Dicom.put(l, "SeriesInstanceUID", seriesUid);
        Dicom.put(l, "SeriesNumber", "902");
        Dicom.put(l, "SeriesDescription", "cohortflow measurements");
        Dicom.put(l, "Manufacturer", "cohortflow");
        Dicom.put(l, "InstanceNumber", "1");
        Dicom.put(l, "ContentDate", now[0]);
        Dicom.put(l, "ContentTime", now[1]);
        Dicom.put(l, "CompletionFlag", "COMPLETE");
        Dicom.put(l, "VerificationFlag", "UNVERIFIED");
        Dicom.put(l, "ValueType", "CONTAINER");
        Dicom.put(l, "ContinuityOfContent", "SEPARATE");
        Dicom.sequence(l, "ConceptNameCodeSequence", Dicom.code("126000", "DCM", "Imaging Measurement Report"));

        List<AttributeList> items = new ArrayList<>();
        items.add(uidRef("112227", "Frame of Reference UID", series.frameOfReferenceUid()));
        items.add(uidRef("121232", "Source series for segmentation", series.seriesInstanceUid()));
        seg.ifPresent(s -> {
            AttributeList image = new AttributeList();
            Dicom.put(image, "RelationshipType", "CONTAINS");
            Dicom.put(image, "ValueType", "IMAGE");
            Dicom.sequence(image, "ConceptNameCodeSequence", Dicom.code("121191", "DCM", "Referenced Segment"));
            AttributeList ref = new AttributeList();
            Dicom.put(ref, "ReferencedSOPClassUID", SegmentationWriter.SEGMENTATION_STORAGE);
            Dicom.put(ref, "ReferencedSOPInstanceUID", s.sopUid());
            Dicom.putInt(ref, "ReferencedSegmentNumber", 1);
            Dicom.sequence(image, "ReferencedSOPSequence", ref);
            items.add(image);
        });
        for (String[] m : measurements) {
            AttributeList num = new AttributeList();
            Dicom.put(num, "RelationshipType", "CONTAINS");
            Dicom.put(num, "ValueType", "NUM");
            Dicom.sequence(num, "ConceptNameCodeSequence", Dicom.code(m[0], m[1], m[2]));
            AttributeList value = new AttributeList();
            double d = Double.parseDouble(m[3]);
            Dicom.putDecimals(value, "NumericValue", d);
            Dicom.putDouble(value, "FloatingPointValue", d);
            Dicom.sequence(value, "MeasurementUnitsCodeSequence", Dicom.code("1", "UCUM", "no units"));
            Dicom.sequence(num, "MeasuredValueSequence", value);
            AttributeList id = new AttributeList();
            Dicom.put(id, "RelationshipType", "HAS OBS CONTEXT");
            Dicom.put(id, "ValueType", "TEXT");
            Dicom.sequence(id, "ConceptNameCodeSequence", Dicom.code("112039", "DCM", "Tracking Identifier"));
            Dicom.put(id, "TextValue", m[2]);
            Dicom.sequence(num, "ContentSequence", id);
            items.add(num);
        }
        Dicom.sequence(l, "ContentSequence", items.toArray(AttributeList[]::new));

        List<AttributeList> refSeries = new ArrayList<>();
        List<AttributeList> sops = new ArrayList<>();
        for (DicomFrame f : frames) {
            AttributeList ref = new AttributeList();
            Dicom.put(ref, "ReferencedSOPClassUID", sourceClass);
            Dicom.put(ref, "ReferencedSOPInstanceUID", f.sopInstanceUid());
            sops.add(ref);
        }
        AttributeList s1 = new AttributeList();
        Dicom.put(s1, "SeriesInstanceUID", series.seriesInstanceUid());
        Dicom.sequence(s1, "ReferencedSOPSequence", sops.toArray(AttributeList[]::new));
        refSeries.add(s1);
        seg.ifPresent(s -> {
            AttributeList ref = new AttributeList();
            Dicom.put(ref, "ReferencedSOPClassUID", SegmentationWriter.SEGMENTATION_STORAGE);
            Dicom.put(ref, "ReferencedSOPInstanceUID", s.sopUid());
            AttributeList s2 = new AttributeList();
            Dicom.put(s2, "SeriesInstanceUID", s.seriesUid());
            Dicom.sequence(s2, "ReferencedSOPSequence", ref);
            refSeries.add(s2);
        });
        AttributeList study = new AttributeList();
        Dicom.copy(source, study, "StudyInstanceUID");
        Dicom.sequence(study, "ReferencedSeriesSequence", refSeries.toArray(AttributeList[]::new));
        Dicom.sequence(l, "CurrentRequestedProcedureEvidenceSequence", study);
        Dicom.write(l, file);
        return new WrittenObject(file, series.studyInstanceUid(), seriesUid, sopUid);
    }

    private static AttributeList uidRef(String code, String meaning, String uid) {
        AttributeList i = new AttributeList();
        Dicom.put(i, "RelationshipType", "HAS OBS CONTEXT");
        Dicom.put(i, "ValueType", "UIDREF");
        Dicom.sequence(i, "ConceptNameCodeSequence", Dicom.code(code, "DCM", meaning));
        Dicom.put(i, "UID", uid);
        return i;
    }

    private static byte[] sha256(String s) {
        return sha256().digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
