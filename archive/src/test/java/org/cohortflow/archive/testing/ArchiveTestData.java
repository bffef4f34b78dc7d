package org.cohortflow.archive.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The shared, read-only test data ({@code shared/data}: the STS cohort's DICOM and the IBSI CT phantom) and
 * the independent tools archive tests compare against. Anything missing is an {@link IllegalStateException}
 * saying what and where: archive tests fail rather than skip.
 */
public final class ArchiveTestData {
    private ArchiveTestData() {
    }

    /** The shared data folder: {@code -Dcohortflow.testdata=DIR}, or the first {@code shared/data} above the working directory. */
    public static Path root() {
        String override = System.getProperty("cohortflow.testdata");
        if (override != null) {
            Path p = Path.of(override);
            if (Files.isDirectory(p)) return p;
            throw new IllegalStateException("-Dcohortflow.testdata=" + override + " is not a folder");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("test data not found: no shared/data folder above " + Path.of("").toAbsolutePath()
                + " (set -Dcohortflow.testdata=DIR)");
    }

    /** {@code sub} inside the shared data; an error when missing. */
    public static Path require(String sub) {
        Path p = root().resolve(sub);
        if (!Files.exists(p)) throw new IllegalStateException("test data not found: " + p);
        return p;
    }

    /** The STS cohort's DICOM tree (four patients, CT, MR T1, PET and an RTSTRUCT each). */
    public static Path stsDicom() {
        return require("sts-cohort/dicom");
    }

    /** The IBSI CT phantom's DICOM (image series and RTSTRUCT). */
    public static Path ctPhantomDicom() {
        return require("ibsi-ct-phantom/dicom");
    }

    /** A python3 that can import pydicom (Debian's {@code /usr/bin/python3} first); an error naming the package when none can. */
    public static String pythonWithPydicom() {
        for (String exe : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(exe, "-c", "import pydicom").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return exe;
            } catch (IOException e) {
                // try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("no python3 can import pydicom (Debian: apt-get install python3-pydicom)");
    }

    /** Runs a command to completion and returns its output (stdout and stderr); an error naming it on a non-zero exit. */
    public static String run(List<String> command, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + " (is it installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
