package org.cohortflow.intake.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cohortflow.archive.testing.ArchiveTestData;

/** Intake's test inputs: the shared cohorts, the pydicom check script and a test profile. */
public final class IntakeTestData {
    /** The secret of the test profiles (never a real project's). */
    public static final String SECRET = "intake-test-secret-0123456789";

    private IntakeTestData() {
    }

    /** The pydicom check script (in the module's source tree, run from the module folder by Maven). */
    public static Path checkScript() {
        Path p = Path.of("src/test/python/check_deidentified.py").toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("check script not found: " + p + " (run the tests from the intake module)");
        }
        return p;
    }

    /** The Basic Profile table the de-identifier applies. */
    public static Path table() {
        Path p = Path.of("src/main/resources/org/cohortflow/intake/deidentify/basic-profile.csv").toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("table not found: " + p);
        }
        return p;
    }

    /** Writes a profile file with the test secret and the given extra YAML lines. */
    public static Path profile(Path dir, String... lines) throws IOException {
        StringBuilder sb = new StringBuilder("project: sts-trial\nsecret: " + SECRET + "\npseudonyms: {prefix: STS-}\n");
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        Path p = dir.resolve("profile.yaml");
        Files.writeString(p, sb);
        return p;
    }

    /** Runs the pydicom check over de-identified files against the originals; returns its output, fails on any finding. */
    public static String check(List<Path> originals, Path deidentified, String optionCodes, int maxShiftDays) {
        List<String> cmd = new ArrayList<>(List.of(ArchiveTestData.pythonWithPydicom(), checkScript().toString()));
        cmd.add(String.join(java.io.File.pathSeparator, originals.stream().map(Path::toString).toList()));
        cmd.addAll(List.of(deidentified.toString(), table().toString(), SECRET, optionCodes, Integer.toString(maxShiftDays)));
        return ArchiveTestData.run(cmd, 600);
    }

    /** Every regular file under a folder, sorted. */
    public static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
