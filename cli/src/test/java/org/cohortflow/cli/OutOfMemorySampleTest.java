package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One sample whose settings need more memory than the JVM has (a tiny resampling spacing) among good ones, run
 * by {@code cohortflow run} on Spark {@code local[2]}: that sample fails with an error naming it and the setting,
 * the others complete, the report is written, exit 1, and the same on {@code --resume}. The run used to die
 * whole (Spark ends an executor on {@link OutOfMemoryError}: exit 52, no report, no sinks), and every resume too.
 */
class OutOfMemorySampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aSampleWithSettingsBeyondTheJvmsMemoryFailsAloneOnSparkAndSoDoesItsResume() throws Exception {
        Path phantom = repo().resolve("../shared/data/ibsi-ct-phantom/nifti").normalize();
        assertTrue(Files.isDirectory(phantom), "the IBSI CT phantom is needed at " + phantom);
        String good = repo().resolve("examples/radiomics/settings/ct-2mm.yaml").toString();
        Path tiny = Files.writeString(dir.resolve("tiny.yaml"), Files.readString(Path.of(good))
                .replace("spacing: [2, 2, 2]", "spacing: [0.01, 0.01, 0.01]"));
        String image = phantom.resolve("image/phantom.nii.gz").toString();
        String mask = phantom.resolve("mask/mask.nii.gz").toString();
        Path sheet = Files.writeString(dir.resolve("samples.csv"), "sample_id,image,mask,roi,settings\n"
                + "a," + image + "," + mask + ",GTV," + good + "\n"
                + "huge," + image + "," + mask + ",GTV," + tiny + "\n"
                + "b," + image + "," + mask + ",GTV," + good + "\n");
        Path network = Files.writeString(dir.resolve("per-sample-settings.yaml"), """
                network: per-sample-settings
                sources:
                  image: {type: NiftiImageGz}
                  mask: {type: NiftiImageGz}
                  roi: {type: String}
                  settings: {type: IbsiSettings}
                nodes:
                  volume: {tool: imaging/NiftiRead:1, inputs: {image: image}}
                  voxels: {tool: imaging/NiftiToMask:1, inputs: {image: mask, reference: volume.volume}}
                  features:
                    tool: biomarkers/Ibsi:1
                    inputs: {image: volume.volume, mask: voxels.mask, roi: roi, settings: settings}
                  subject_json: {tool: biomarkers/FeatureTableJson:1, inputs: {table: features.features}}
                sinks:
                  subjects: {from: subject_json.json, url: "SINKS/{sample_id}{ext}"}
                """.replace("SINKS", dir.resolve("sinks").toUri().toString().replaceAll("/$", "")));

        for (boolean resume : List.of(false, true)) {
            List<String> args = new java.util.ArrayList<>(List.of("run", network.toString(), "--samples", sheet.toString(),
                    "--work", dir.resolve("work").toString(), "--executor", "spark", "--master", "local[2]",
                    "--progress", "off"));
            if (resume) {
                args.add("--resume");
            }
            CohortflowCommandTest.Result r = CohortflowCommandTest.run(args.toArray(String[]::new));

            assertEquals(1, r.code(), r.out() + r.err());
            JsonNode report = JSON.readTree(dir.resolve("work/per-sample-settings/report.json").toFile());
            assertEquals(1, report.get("failures").size(), report.toPrettyString());
            JsonNode f = report.get("failures").get(0);
            assertEquals("features", f.get("node").asText());
            assertEquals("huge", f.get("sample").asText());
            String error = f.get("error").asText();
            assertTrue(error.contains("sample 'huge' with settings tiny.yaml would need "), error);
            assertTrue(error.contains("resampling.spacing [0.01, 0.01, 0.01]"), error);
            assertTrue(error.contains("but this JVM may use at most "), error);
            assertTrue(Files.isRegularFile(dir.resolve("sinks/a.json")));
            assertTrue(Files.isRegularFile(dir.resolve("sinks/b.json")));
            assertFalse(Files.exists(dir.resolve("sinks/huge.json")));
        }
    }

    private static Path repo() {
        return CohortflowCommandTest.examples().getParent();
    }
}
