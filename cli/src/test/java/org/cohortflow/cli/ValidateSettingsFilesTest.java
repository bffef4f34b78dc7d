package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohortflow validate} checks the IBSI settings files a network names, as a run would read them. */
class ValidateSettingsFilesTest {
    private static final String NETWORK = """
            network: radiomics
            sources:
              image: {type: NiftiImageGz}
              mask: {type: NiftiImageGz}
            nodes:
              volume: {tool: imaging/NiftiRead:1, inputs: {image: image}}
              voxels: {tool: imaging/NiftiToMask:1, inputs: {image: mask, reference: volume.volume}}
              features:
                tool: biomarkers/Ibsi:1
                inputs: {image: volume.volume, mask: voxels.mask}
                parameters: {settings: SETTINGS}
            sinks:
              features: {from: features.features, url: "file:///tmp/cohortflow/validate-settings/{sample_id}{ext}"}
            """;

    @Test
    void aSettingsFileWithAnImpossibleValueIsAnErrorAtTheParameterThatNamesIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "resampling: {spacing: [2, 2, 2], interpolation: sideways}\n");
        Path network = Files.writeString(dir.resolve("net.yaml"), NETWORK.replace("SETTINGS", "bad.yaml"));

        CohortflowCommandTest.Result r = CohortflowCommandTest.run("validate", network.toString());

        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith(network + ":11:"), r.err());
        assertTrue(r.err().contains("node 'features', parameter 'settings': " + dir.resolve("bad.yaml")
                + ": resampling.interpolation must be one of nearest, linear, cubic, spline, got \"sideways\""), r.err());
    }

    @Test
    void aSettingsFileThatDoesNotExistIsAnError(@TempDir Path dir) throws Exception {
        Path network = Files.writeString(dir.resolve("net.yaml"), NETWORK.replace("SETTINGS", "settings/gone.yaml"));

        CohortflowCommandTest.Result r = CohortflowCommandTest.run("validate", network.toString());

        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("node 'features', parameter 'settings': " + dir.resolve("settings/gone.yaml")
                + " does not exist"), r.err());
    }

    @Test
    void theExampleRadiomicsNetworksAndTheirSettingsAreValid() {
        Path radiomics = CohortflowCommandTest.examples().resolve("radiomics");
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("validate", "--tools", radiomics.resolve("tools").toString(),
                radiomics.resolve("dicom-ct.yaml").toString(), radiomics.resolve("nifti-ct.yaml").toString());

        assertEquals(0, r.code(), r.out() + r.err());
    }
}
