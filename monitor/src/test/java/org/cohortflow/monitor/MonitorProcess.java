package org.cohortflow.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.testing.ServiceJvm;

/**
 * A monitor in a JVM of its own (the kit's {@link ServiceJvm}), so that a test can kill it with SIGKILL and start
 * it again on the same database and port; this class is also the child's main class. The first start creates the
 * user {@code reporter} (manager) and writes its token to a file.
 */
public final class MonitorProcess {
    private static final String READY = "READY ";

    private MonitorProcess() {}

    /** Child side: {@code DB-URL DATA-DIR PORT TOKEN-FILE}. */
    public static void main(String[] args) throws Exception {
        ServiceConfig config = new ServiceConfig("monitor", "127.0.0.1", Integer.parseInt(args[2]), Path.of(args[1]),
                new DatabaseSettings(args[0], "sa", ""), new BootstrapAdmin("admin", "admin-password"), null, Map.of());
        MonitorService.Running r = new MonitorService().start(config);
        Path tokenFile = Path.of(args[3]);
        if (!Files.exists(tokenFile)) {
            String token = r.kit().database().inTransaction(h -> {
                r.kit().users().create(h, "reporter", "reporter-password", EnumSet.of(Role.MANAGER));
                r.kit().users().create(h, "viewer", MonitorFixture.VIEWER_PASSWORD, EnumSet.of(Role.VIEWER));
                return r.kit().users().createToken(h, "reporter", "runs", null).value();
            });
            Files.writeString(tokenFile, token);
        }
        System.out.println(READY + r.baseUri());
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * Starts a monitor process and waits until it answers (at most 2 minutes); its output goes to {@code DATA-DIR.log}
     * beside its data folder.
     */
    public static ServiceJvm start(String dbUrl, Path dataDir, int port, Path tokenFile) throws IOException {
        return ServiceJvm.start("monitor", List.of("-Xmx512m", MonitorProcess.class.getName(), dbUrl, dataDir.toString(),
                Integer.toString(port), tokenFile.toString()), READY, Duration.ofMinutes(2),
                dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }
}
