package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.tasks.TasksSettings;
import org.cohortflow.tasks.template.TaskTemplate;
import org.cohortflow.tasks.template.TemplateParser;
import org.junit.jupiter.api.Test;

/**
 * Every file of the example study ({@code examples/study/}) passes the validator its service uses, so the
 * example cannot rot: the workflow ({@code cohortflow governor validate}), the intake profile
 * ({@code cohortflow intake validate}), the task templates (the task service's template parser, with its
 * JSON Schema check), the pipelines the workflow names ({@code cohortflow validate}), the scan labels the
 * workflow binds against the profile's {@code scans} rules, and the services' configuration files.
 */
class StudyExampleFilesTest {
    private static final Path STUDY = CohortflowCommandTest.examples().resolve("study");

    @Test
    void theWorkflowIsValidForTheGovernor() {
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("governor", "validate", STUDY.resolve("workflow.yaml").toString());

        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("valid workflow 'study-radiomics'"), r.out());
    }

    @Test
    void theIntakeProfileIsValid() {
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("intake", "validate", STUDY.resolve("intake-profile.yaml").toString());

        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("valid profile for project 'study'"), r.out());
    }

    @Test
    void everyTaskTemplateTheWorkflowNamesIsValidAndExists() throws Exception {
        String workflow = Files.readString(STUDY.resolve("workflow.yaml"));
        List<Path> files;
        try (Stream<Path> s = Files.list(STUDY.resolve("templates"))) {
            files = s.sorted().toList();
        }
        assertEquals(4, files.size(), files.toString());
        for (Path f : files) {
            TaskTemplate t = new TemplateParser().parse(f);   // throws listing every problem
            assertEquals(f.getFileName().toString().replace(".yaml", ""), t.name(), "a template's file is named after it");
            assertTrue(workflow.contains("template: " + t.name()), "the workflow uses template " + t.name());
        }
    }

    @Test
    void everyPipelineTheWorkflowNamesIsAValidNetwork() throws Exception {
        String workflow = Files.readString(STUDY.resolve("workflow.yaml"));
        List<String> networks = java.util.regex.Pattern.compile("network: (\\S+)").matcher(workflow).results()
                .map(m -> m.group(1)).toList();
        assertEquals(List.of("examples/study/preview-ct.yaml", "examples/radiomics/dicom-ct.yaml", "examples/study/preview-mask.yaml"),
                networks, "the study converts the CT for the viewer, then reuses the DICOM radiomics network beside the mask preview");
        for (String n : networks) {
            CohortflowCommandTest.Result r = CohortflowCommandTest.run("validate",
                    CohortflowCommandTest.examples().getParent().resolve(n).toString());
            assertEquals(0, r.code(), n + ": " + r.out() + r.err());
        }
    }

    @Test
    void theScansTheWorkflowNamesAreThoseTheIntakeProfileLabels() throws Exception {
        String workflow = Files.readString(STUDY.resolve("workflow.yaml"));
        java.util.Set<String> named = new java.util.TreeSet<>(java.util.regex.Pattern.compile("scan:([A-Za-z0-9_.-]+)")
                .matcher(workflow).results().map(m -> m.group(1)).toList());
        assertEquals(java.util.Set.of("ct", "rtstruct"), named);
        org.cohortflow.intake.profile.Profile profile = org.cohortflow.intake.profile.ProfileReader.read(STUDY.resolve("intake-profile.yaml"));
        assertEquals(java.util.Optional.of("ct"), profile.scanLabel("CT", "IBSI_1_STS_001_CT_image"));
        assertEquals(java.util.Optional.of("rtstruct"), profile.scanLabel("RTSTRUCT", "IBSI_1_STS_001_CT_mask"));
        assertEquals(java.util.Optional.empty(), profile.scanLabel("PT", "IBSI_1_STS_001_PET_image"));
    }

    @Test
    void theServicesConfigurationFilesAreValid() {
        ServiceConfig governor = ServiceConfig.load(STUDY.resolve("governor.yaml"), "governor");
        assertEquals(".", governor.setting("pipelines.root").orElseThrow());
        ServiceConfig tasks = ServiceConfig.load(STUDY.resolve("tasks.yaml"), "tasks");
        assertEquals(8083, tasks.port(), "the workflow's task callbacks go to port 8083");
        TasksSettings.from(tasks.settings());   // throws naming an unknown setting
    }
}
