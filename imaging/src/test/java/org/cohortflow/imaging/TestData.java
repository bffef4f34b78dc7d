package org.cohortflow.imaging;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Locates the shared, read-only test data ({@code shared/data}) and independent tools (pydicom, nibabel),
 * skipping tests with a reason when they are absent rather than letting them pass vacuously.
 */
public final class TestData {
    private TestData() {
    }

    /** The shared data folder, walking up from the working directory; empty when there is none. */
    public static Optional<Path> find() {
        String override = System.getProperty("cohortflow.testdata");
        if (override != null) return Optional.of(Path.of(override)).filter(Files::isDirectory);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The shared data folder, or skips the calling test. */
    public static Path require() {
        Optional<Path> p = find();
        assumeTrue(p.isPresent(), "test data not found: no shared/data folder above " + Path.of("").toAbsolutePath()
                + " (set -Dcohortflow.testdata=DIR)");
        return p.get();
    }

    /** {@code sub} inside the shared data, or skips the calling test when it is missing. */
    public static Path require(String sub) {
        Path p = require().resolve(sub);
        assumeTrue(Files.exists(p), "test data not found: " + p);
        return p;
    }

    /** A python3 interpreter that can import all {@code modules}, or skips the calling test. */
    public static String requirePython(String... modules) {
        String imports = "import " + String.join(", ", modules);
        for (String exe : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(exe, "-c", imports).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return exe;
            } catch (IOException e) {
                // try the next interpreter
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assumeTrue(false, "no python3 with " + String.join(", ", modules) + " (Debian: python3-pydicom, python3-nibabel)");
        return null;
    }

    /** Runs a python script with arguments and returns its stdout; fails the test on a non-zero exit. */
    public static String runPython(String python, String script, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python, "-c", script));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("python failed (exit " + p.exitValue() + "): " + String.join(" ", cmd.subList(0, 2)));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
