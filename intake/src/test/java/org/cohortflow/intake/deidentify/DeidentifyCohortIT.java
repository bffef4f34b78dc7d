package org.cohortflow.intake.deidentify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.intake.profile.Profile;
import org.cohortflow.intake.profile.ProfileReader;
import org.cohortflow.intake.testing.IntakeTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * De-identifies the shared STS patients and the IBSI CT phantom offline and has pydicom check the result
 * independently (the Basic Profile's table, original identities, pixel data, RTSTRUCT references).
 */
class DeidentifyCohortIT {

    @Test
    void theStsCohortAndCtPhantomComeOutDeidentifiedLinkedAndIdenticalOnASecondRun(@TempDir Path tmp) throws Exception {
        Path profileFile = IntakeTestData.profile(tmp, "options: [retainLongitudinalModifiedDates]",
                "dates: {maxShiftDays: 100}");
        Profile profile = ProfileReader.read(profileFile);
        List<Path> inputs = List.of(ArchiveTestData.stsDicom(), ArchiveTestData.ctPhantomDicom());
        // -Dintake.test.out=DIR keeps the output for inspection.
        Path first = System.getProperty("intake.test.out") == null ? tmp.resolve("first")
                : Path.of(System.getProperty("intake.test.out"));
        Path second = tmp.resolve("second");
        int expected = 0;
        for (Path in : inputs) {
            expected += IntakeTestData.files(in).stream().filter(p -> p.toString().endsWith(".dcm")).count();
        }
        for (Path out : List.of(first, second)) {
            FolderDeidentifier folder = new FolderDeidentifier(new Deidentifier(profile, new CsvIdMap("STS-")));
            int written = 0;
            for (Path in : inputs) {
                FolderDeidentifier.Summary s = folder.run(in, out);
                written += s.written();
                assertTrue(s.refused().stream().allMatch(r -> r.reason() == Outcome.Reason.NOT_DICOM),
                        "only non-DICOM files may be refused: " + s.refused());
            }
            assertEquals(expected, written, "every DICOM file is written");
        }

        String report = IntakeTestData.check(inputs, first, "RLT", 100);
        assertTrue(report.contains("0 failures"), report);
        assertTrue(report.contains("RTSTRUCT"), report);

        IllegalStateException undone = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> IntakeTestData.check(List.of(ArchiveTestData.ctPhantomDicom()), ArchiveTestData.ctPhantomDicom(),
                        "RLT", 100), "the check finds identities in objects that were not de-identified");
        assertTrue(undone.getMessage().contains("PatientIdentityRemoved is not YES"), undone.getMessage());

        List<Path> a = IntakeTestData.files(first);
        List<Path> b = IntakeTestData.files(second);
        assertEquals(a.stream().map(first::relativize).toList(), b.stream().map(second::relativize).toList(),
                "the same input gives the same file names");
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), "same bytes: " + a.get(i));
        }
    }
}
