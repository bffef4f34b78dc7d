package org.cohortflow.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticScannerTest {
    private static final AttributeTag PATIENT_NAME = new AttributeTag(0x0010, 0x0010);
    private static final AttributeTag PATIENT_ID = new AttributeTag(0x0010, 0x0020);
    private static final AttributeTag STRUCTURE_SET_ROI_SEQUENCE = new AttributeTag(0x3006, 0x0020);
    private static final AttributeTag ROI_NAME = new AttributeTag(0x3006, 0x0026);

    @Test
    void eachPatientGetsMadeUpIdentitiesInEveryFileAndTheStudysRoiButTheCorruptOneLacksIt(@TempDir Path dir) throws Exception {
        SyntheticScanner scanner = SyntheticScanner.prepare(dir.resolve("a"), 2, 1, "GTV_Mass_CT", 5, 2);
        List<SyntheticScanner.Patient> patients = scanner.patients();
        assertEquals(2, patients.size());
        assertNotEquals(patients.get(0).patientId(), patients.get(1).patientId());
        assertNotEquals(patients.get(0).familyName(), patients.get(1).familyName());
        for (SyntheticScanner.Patient p : patients) {
            assertEquals(49, p.files().size(), "48 CT slices and the RTSTRUCT");
            for (Path f : List.of(p.files().get(0), p.files().get(p.files().size() - 1))) {
                AttributeList l = read(f);
                assertEquals(p.patientName(), l.get(PATIENT_NAME).getSingleStringValueOrEmptyString(), f.toString());
                assertEquals(p.patientId(), l.get(PATIENT_ID).getSingleStringValueOrEmptyString(), f.toString());
            }
            SequenceAttribute rois = (SequenceAttribute) read(p.files().get(p.files().size() - 1)).get(STRUCTURE_SET_ROI_SEQUENCE);
            String roi = rois.getItem(0).getAttributeList().get(ROI_NAME).getSingleStringValueOrEmptyString();
            assertEquals(p.corrupt() ? SyntheticScanner.CORRUPT_ROI : "GTV_Mass_CT", roi, p.subject());
        }
        assertTrue(patients.get(1).corrupt() && !patients.get(0).corrupt(), "the last subject is the corrupt one");

        SyntheticScanner again = SyntheticScanner.prepare(dir.resolve("b"), 2, 1, "GTV_Mass_CT", 5, 1);
        assertEquals(patients.get(0).patientName(), again.patients().get(0).patientName(), "the same seed, the same patients");
    }

    @Test
    void theDemoReadsTheStudysRoiAndFinalStatesFromTheExampleWorkflow() throws Exception {
        JsonNode workflow = new YAMLMapper().readTree(DemoRun.checkout().resolve("examples/study/workflow.yaml").toFile());
        assertEquals("GTV_Mass_CT", MissionDemo.roi(workflow));
        Set<String> finals = MissionDemo.finalStates(workflow);
        assertTrue(finals.containsAll(Set.of("done", "excluded", "on_hold", "incomplete")), finals.toString());
        assertTrue(!finals.contains("radiomics") && !finals.contains("mask_review"), finals.toString());
    }

    private static AttributeList read(Path f) throws Exception {
        AttributeList l = new AttributeList();
        l.read(f.toFile());
        return l;
    }
}
