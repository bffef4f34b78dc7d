package org.cohortflow.intake.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.intake.IntakeService;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.testing.ServiceJvm;

/**
 * An intake in a JVM of its own (the kit's {@link ServiceJvm}), so that a test can kill it with SIGKILL in the
 * middle of a transfer and start it again on the same data. This class is also the child's main class.
 */
public final class IntakeProcess {
    private static final String READY = "READY ";

    private IntakeProcess() {}

    /** Child side: {@code DATA-DIR PROFILE DICOM-PORT DICOMWEB-URL USER PASSWORD DB-URL DB-USER DB-PASSWORD}. */
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("profile", args[1]);
        settings.put("dicom", Map.of("port", args[2], "aet", "INTAKE"));
        settings.put("forward", Map.of("dicomweb", Map.of("url", args[3], "user", args[4], "password", args[5])));
        settings.put("retry", Map.of("firstSeconds", "0", "maxSeconds", "2"));
        ServiceConfig config = new ServiceConfig(IntakeService.NAME, "127.0.0.1", 0, data,
                new DatabaseSettings(args[6], args[7], args[8]),
                new BootstrapAdmin("admin", IntakeFixture.ADMIN_PASSWORD), null, settings);
        IntakeService.Running r = new IntakeService().start(config);
        System.out.println(READY + r.baseUri());
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * Starts an intake process on {@code db} and waits until it answers (at most 2 minutes); its output goes to
     * {@code DATA.log} beside the data folder.
     */
    public static ServiceJvm start(Path data, Path profile, int dicomPort, URI dicomWeb, Auth.Basic auth,
                                   DatabaseSettings db) throws IOException {
        return ServiceJvm.start("intake", List.of("-Xmx512m", IntakeProcess.class.getName(), data.toString(),
                        profile.toString(), Integer.toString(dicomPort), dicomWeb.toString(), auth.user(), auth.password(),
                        db.url(), db.user(), db.password()), READY, Duration.ofMinutes(2),
                data.resolveSibling(data.getFileName() + ".log"));
    }
}
