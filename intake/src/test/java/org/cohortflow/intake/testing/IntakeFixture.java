package org.cohortflow.intake.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.intake.IntakeService;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;

/** Builds intake configurations for tests and waits for conditions with generous deadlines. */
public final class IntakeFixture {
    /** The bootstrap administrator's password in test configurations. */
    public static final String ADMIN_PASSWORD = "intake-admin-password";

    private IntakeFixture() {
    }

    /**
     * A configuration: data in {@code data}, the given profile, a C-STORE SCP on {@code dicomPort} (AE INTAKE),
     * forwarding to {@code orthanc} over STOW-RS (or to the folder store when null), fast retries.
     */
    public static ServiceConfig config(Path data, Path profile, int dicomPort, OrthancServer orthanc, DatabaseSettings db) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("profile", profile.toString());
        settings.put("dicom", Map.of("port", Integer.toString(dicomPort), "aet", "INTAKE"));
        if (orthanc != null) {
            settings.put("forward", Map.of("dicomweb", Map.of("url", orthanc.dicomWebRoot().toString(),
                    "user", OrthancServer.USER, "password", OrthancServer.PASSWORD)));
        }
        settings.put("retry", Map.of("firstSeconds", "0", "maxSeconds", "2"));
        settings.put("studyQuietSeconds", "2");
        return new ServiceConfig(IntakeService.NAME, "127.0.0.1", 0, data, db,
                new BootstrapAdmin("admin", ADMIN_PASSWORD), null, settings);
    }

    /** Waits for a condition (checked every 200 ms) or fails with {@code what} after {@code seconds}. */
    public static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    /** Sends files or folders with dcmtk's storescu (recursing into folders); returns its output. */
    public static String storescu(String callingAet, int port, List<Path> paths) {
        List<String> cmd = new java.util.ArrayList<>(List.of("storescu", "-aet", callingAet, "-aec", "INTAKE", "+sd", "+r",
                "-nh", "127.0.0.1", Integer.toString(port)));
        paths.forEach(p -> cmd.add(p.toString()));
        return org.cohortflow.archive.testing.ArchiveTestData.run(cmd, 600);
    }

    /** The number of regular files under some folders. */
    public static int fileCount(List<Path> roots) throws IOException {
        int n = 0;
        for (Path r : roots) {
            n += IntakeTestData.files(r).size();
        }
        return n;
    }
}
