package org.cohortflow.tasks.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared, read-only test data ({@code ../shared/data} from the worktree). A test that needs it fails with
 * the reason when it is missing, rather than passing without having looked at an image.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The shared data folder. */
    public static Path root() {
        String override = System.getProperty("cohortflow.testdata");
        if (override != null && Files.isDirectory(Path.of(override))) return Path.of(override).toAbsolutePath();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new AssertionError("test data not found: no shared/data folder above " + Path.of("").toAbsolutePath()
                + " (set -Dcohortflow.testdata=DIR)");
    }

    /** A file or folder inside the shared data, which must exist. */
    public static Path require(String sub) {
        Path p = root().resolve(sub);
        if (!Files.exists(p)) throw new AssertionError("test data not found: " + p);
        return p;
    }

    /** The STS CT of patient 1 (NIfTI). */
    public static Path stsCt() {
        return require("sts-cohort/nifti/STS_001/CT_image.nii.gz");
    }

    /** The tumour mask of that CT (NIfTI). */
    public static Path stsCtMask() {
        return require("sts-cohort/nifti/STS_001/CT_mask.nii.gz");
    }
}
