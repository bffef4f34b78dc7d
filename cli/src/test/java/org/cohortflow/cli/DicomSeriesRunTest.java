package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cohortflow.imaging.synth.SubjectTruth;
import org.cohortflow.imaging.synth.SyntheticCohort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DICOM series referenced as {@code folder?series=UID} (as cohort discovery binds it) runs through
 * the executors: the query picks the series, and the folder is what is read and hashed.
 */
class DicomSeriesRunTest {

    @Test
    void aSeriesNamedByUidInItsFolderRunsAndIsWrittenAsNifti(@TempDir Path dir) throws Exception {
        CohortflowCommandTest.Result synth = CohortflowCommandTest.run("synth", "--subjects", "1", "--out",
                dir.resolve("cohort").toString(), "--seed", "3");
        assertEquals(0, synth.code(), synth.err());
        SubjectTruth truth = SyntheticCohort.readTruth(dir.resolve("cohort/" + SyntheticCohort.TRUTH_CSV)).get(0);
        Path ct = dir.resolve("cohort").resolve(truth.ctDir());
        Path net = Files.writeString(dir.resolve("to-nifti.yaml"), """
                network: to-nifti
                sources:
                  ct: {type: DicomSeries}
                nodes:
                  read:
                    tool: imaging/DicomToVolume:1
                    inputs: {series: ct}
                  write:
                    tool: imaging/NiftiWrite:1
                    inputs: {volume: read.volume}
                sinks:
                  images: {from: write.image, url: "%s/{sample_id}{ext}"}
                """.formatted(dir.resolve("out").toUri()));
        String uri = ct.toUri() + "?series=" + truth.seriesUid();
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("run", net.toString(),
                "--samples", Files.writeString(dir.resolve("s.csv"), "sample_id,ct\n" + truth.subject() + "," + uri + "\n").toString(),
                "--work", dir.resolve("work").toString(), "--progress", "off");
        assertEquals(0, r.code(), r.out() + r.err());
        List<Path> written;
        try (var s = Files.list(dir.resolve("out"))) {
            written = s.filter(p -> p.toString().endsWith(".nii.gz")).toList();
        }
        assertEquals(1, written.size(), written.toString());
        assertTrue(Files.size(written.get(0)) > 1000);
    }
}
