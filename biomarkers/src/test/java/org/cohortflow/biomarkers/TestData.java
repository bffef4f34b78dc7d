package org.cohortflow.biomarkers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Locates the shared, read-only test data; tests fail with a reason when it is absent (never skip silently). */
public final class TestData {
    private TestData() {
    }

    /** The {@code shared/data} folder found walking up from the working directory. */
    public static Optional<Path> find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** {@code sub} inside the shared data, or fails the calling test naming what is missing. */
    public static Path require(String sub) {
        Optional<Path> root = find();
        assertTrue(root.isPresent(), "test data not found: no shared/data folder above "
                + Path.of("").toAbsolutePath());
        Path p = root.get().resolve(sub);
        assertTrue(Files.exists(p), "test data not found: " + p);
        return p;
    }
}
