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

    @Test
    void scanRulesLabelTheSTSCohortsSeriesByModalityAndDescriptionFirstMatchWinning() throws Exception {
        Profile p = parse("""
                project: sts-trial
                secret: 0123456789abcdef0123
                scans:
                  - {label: ct-image, modality: CT, seriesDescription: ".*_CT_image"}
                  - {label: ct, modality: CT}
                  - {label: rtstruct, modality: RTSTRUCT}
                  - {label: pet, seriesDescription: "(?i).*pet.*"}
                """);
        // the modality and description as the STS cohort's files carry them
        java.nio.file.Path sts = org.cohortflow.archive.testing.ArchiveTestData.stsDicom();
        assertEquals(java.util.Optional.of("ct-image"), labelOf(p, sts.resolve("STS_001/CT/image")));
        assertEquals(java.util.Optional.of("rtstruct"), labelOf(p, sts.resolve("STS_001/CT/mask")));
        assertEquals(java.util.Optional.of("pet"), labelOf(p, sts.resolve("STS_001/PET/image")));
        assertEquals(java.util.Optional.empty(), labelOf(p, sts.resolve("STS_001/MR_T1/image")),
                "no rule matches an MR image: it keeps its series UID");
        assertEquals(java.util.Optional.of("ct"), p.scanLabel("CT", null), "no description: the next CT rule");
    }

    private static java.util.Optional<String> labelOf(Profile p, java.nio.file.Path seriesFolder) throws Exception {
        java.nio.file.Path first;
        try (var files = java.nio.file.Files.list(seriesFolder)) {
            first = files.sorted().findFirst().orElseThrow();
        }
        com.pixelmed.dicom.AttributeList l = org.cohortflow.intake.deidentify.DicomFiles.read(first);
        return p.scanLabel(com.pixelmed.dicom.Attribute.getSingleStringValueOrNull(l, com.pixelmed.dicom.TagFromName.Modality),
                com.pixelmed.dicom.Attribute.getSingleStringValueOrNull(l, com.pixelmed.dicom.TagFromName.SeriesDescription));
    }

    @Test
    void badScanRulesAreReportedWithFileLineAndColumn() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parse("""
                project: sts-trial
                secret: 0123456789abcdef0123
                scans:
                  - {label: "c t", modality: CT}
                  - {label: any}
                  - {label: mr, modality: mr, seriesDescription: "("}
                  - {modality: CT, colour: blue}
                  - ct
                """));
        String m = e.getMessage();
        assertTrue(m.contains("p.yaml:4:13: scan label 'c t' must be 1 to 64 letters"), m);
        assertTrue(m.contains("p.yaml:5:5: a rule of 'scans' needs 'modality' or 'seriesDescription'"), m);
        assertTrue(m.contains("p.yaml:6:27: modality 'mr' is not a DICOM modality code"), m);
        assertTrue(m.contains("p.yaml:6:50: 'seriesDescription' is not a valid regular expression"), m);
        assertTrue(m.contains("missing required key 'label'"), m);
        assertTrue(m.contains("colour"), m);
        assertTrue(m.contains("p.yaml:8:5: a rule of 'scans' must be a mapping"), m);
    }
}
