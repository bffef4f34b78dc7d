package org.cohortflow.intake.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.junit.jupiter.api.Test;

class ProfileReaderTest {
    private static Profile parse(String yaml) {
        return ProfileReader.parse(yaml, "p.yaml", Path.of("."));
    }

    @Test
    void aFullProfileIsReadWithItsOptionsFiltersAndAttributeRules() {
        Profile p = parse("""
                project: sts-trial
                secret: 0123456789abcdef0123
                options: [retainLongitudinalModifiedDates, retainSafePrivate]
                dates: {maxShiftDays: 30}
                pseudonyms: {prefix: STS-}
                keep: [BodyPartExamined]
                replace: {InstitutionName: cohortflow}
                remove: ["(0009,0010)"]
                burnedIn: accept
                accept: {modalities: [CT, RTSTRUCT], studyDescription: "CT.*", callingAets: [SCANNER1]}
                """);
        assertEquals("sts-trial", p.project());
        assertEquals(Set.of(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES, DeidOption.RETAIN_SAFE_PRIVATE), p.options());
        assertEquals(30, p.maxShiftDays());
        assertEquals(new TagRef(0x0018, 0x0015), p.keep().get(0));
        assertEquals("cohortflow", p.replace().get(new TagRef(0x0008, 0x0080)));
        assertEquals(new TagRef(0x0009, 0x0010), p.remove().get(0));
        assertEquals(Profile.BurnedIn.ACCEPT, p.burnedIn());
        assertTrue(p.filters().refusal("MR", "CT chest").isPresent());
        assertTrue(p.filters().refusal("CT", "MR head").isPresent());
        assertTrue(p.filters().refusal("CT", "CT chest").isEmpty());
        assertEquals(Set.of("SCANNER1"), p.filters().callingAets());
    }

    @Test
    void everyMistakeIsReportedWithFileLineAndColumn() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parse("""
                project: sts trial
                secret: short
                options: [retainEverything]
                keep: [NoSuchAttribute]
                burnedIn: maybe
                accept: {modalities: [ct], studyDescription: "("}
                colour: blue
                """));
        String m = e.getMessage();
        assertTrue(m.contains("p.yaml:1:10: 'project' must be letters"), m);
        assertTrue(m.contains("p.yaml:2:9: the secret must be at least 16 characters"), m);
        assertTrue(m.contains("p.yaml:3:11: unknown option 'retainEverything'"), m);
        assertTrue(m.contains("p.yaml:4:8: unknown attribute 'NoSuchAttribute'"), m);
        assertTrue(m.contains("p.yaml:5:11: 'burnedIn' must be quarantine or accept"), m);
        assertTrue(m.contains("modality 'ct' is not a DICOM modality code"), m);
        assertTrue(m.contains("'studyDescription' is not a valid regular expression"), m);
        assertTrue(m.contains("p.yaml:7:1: unknown key 'colour' in profile"), m);
    }

    @Test
    void aProfileWithoutSecretIsRefused() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parse("project: x\n"));
        assertTrue(e.getMessage().contains("missing required key 'secret' or 'secretFile'"), e.getMessage());
    }
}
