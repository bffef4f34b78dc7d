package org.cohortflow.intake.deidentify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.intake.profile.Profile;
import org.cohortflow.intake.profile.ProfileReader;
import org.junit.jupiter.api.Test;

class DeidentifierTest {
    private final Path pet = ArchiveTestData.stsDicom().resolve("STS_001/PET/image/000022.dcm");

    private static Profile profile(String extra) {
        return ProfileReader.parse("project: p\nsecret: unit-test-secret-0123456789\n" + extra, "p.yaml", Path.of("."));
    }

    private static String s(AttributeList l, com.pixelmed.dicom.AttributeTag t) {
        return Attribute.getSingleStringValueOrEmptyString(l, t);
    }

    @Test
    void theBasicProfileReplacesIdentityUidsAndDatesAndMarksTheObject() throws Exception {
        AttributeList original = DicomFiles.read(pet);
        AttributeList l = DicomFiles.read(pet);
        Outcome o = new Deidentifier(profile(""), new CsvIdMap("S-")).deidentify(l);
        Outcome.Deidentified d = assertInstanceOf(Outcome.Deidentified.class, o);
        assertEquals("S-0001", d.pseudonym());
        assertEquals("S-0001", s(l, TagFromName.PatientName));
        assertEquals("S-0001", s(l, TagFromName.PatientID));
        assertEquals("", s(l, TagFromName.PatientBirthDate));
        assertEquals("", s(l, TagFromName.StudyDate), "no dates without the longitudinal option");
        assertNotEquals(s(original, TagFromName.StudyInstanceUID), s(l, TagFromName.StudyInstanceUID));
        assertTrue(s(l, TagFromName.SOPInstanceUID).startsWith("2.25."));
        assertEquals(s(original, TagFromName.SOPClassUID), s(l, TagFromName.SOPClassUID), "SOP classes are not instances");
        assertEquals("YES", s(l, new com.pixelmed.dicom.AttributeTag(0x0012, 0x0062)));
        assertEquals("REMOVED", s(l, new com.pixelmed.dicom.AttributeTag(0x0028, 0x0303)));
        assertNull(l.get(TagFromName.PatientWeight), "patient characteristics are removed");
    }

    @Test
    void optionsKeepWhatTheyRetainAndProfileRulesApplyLast() throws Exception {
        AttributeList original = DicomFiles.read(pet);
        AttributeList l = DicomFiles.read(pet);
        new Deidentifier(profile("""
                options: [retainPatientCharacteristics, retainUids, retainLongitudinalModifiedDates]
                dates: {maxShiftDays: 5}
                keep: [SeriesDescription]
                replace: {InstitutionName: cohortflow}
                remove: [Modality]
                """), new CsvIdMap("S-")).deidentify(l);
        assertEquals(s(original, TagFromName.PatientWeight), s(l, TagFromName.PatientWeight));
        assertEquals(s(original, TagFromName.PatientSex), s(l, TagFromName.PatientSex));
        assertEquals(s(original, TagFromName.StudyInstanceUID), s(l, TagFromName.StudyInstanceUID));
        assertEquals(s(original, TagFromName.SeriesDescription), s(l, TagFromName.SeriesDescription));
        assertEquals("cohortflow", s(l, TagFromName.InstitutionName));
        assertNull(l.get(TagFromName.Modality));
        int days = (int) java.time.temporal.ChronoUnit.DAYS.between(
                java.time.LocalDate.parse(s(l, TagFromName.StudyDate), java.time.format.DateTimeFormatter.BASIC_ISO_DATE),
                java.time.LocalDate.parse(s(original, TagFromName.StudyDate), java.time.format.DateTimeFormatter.BASIC_ISO_DATE));
        assertTrue(days >= 1 && days <= 5, "shifted by " + days);
        assertEquals("MODIFIED", s(l, new com.pixelmed.dicom.AttributeTag(0x0028, 0x0303)));
    }

    @Test
    void burnedInAnnotationAndMissingPatientIdGoToQuarantineUnlessTheProfileAccepts() throws Exception {
        AttributeList l = DicomFiles.read(pet);
        CodeStringAttribute burned = new CodeStringAttribute(new com.pixelmed.dicom.AttributeTag(0x0028, 0x0301));
        burned.addValue("YES");
        l.put(burned);
        Outcome o = new Deidentifier(profile(""), new CsvIdMap("S-")).deidentify(l);
        assertEquals(Outcome.Reason.BURNED_IN, assertInstanceOf(Outcome.Quarantined.class, o).reason());
        assertInstanceOf(Outcome.Deidentified.class,
                new Deidentifier(profile("burnedIn: accept\n"), new CsvIdMap("S-")).deidentify(l));
        AttributeList noId = DicomFiles.read(pet);
        noId.remove(TagFromName.PatientID);
        assertEquals(Outcome.Reason.NO_PATIENT_ID, assertInstanceOf(Outcome.Quarantined.class,
                new Deidentifier(profile(""), new CsvIdMap("S-")).deidentify(noId)).reason());
    }
}
