package org.cohortflow.monitor;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.testing.HttpTestClient;

/**
 * A monitor started for a test on an ephemeral port, with three users: {@code admin}, {@code reporter}
 * (manager: may report runs) and {@code viewer} (reads only), each with an API token.
 */
public final class MonitorFixture implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "admin-password";
    public static final String VIEWER_PASSWORD = "viewer-password";
    private final MonitorService.Running running;
    private final String reporterToken;
    private final String viewerToken;

    private MonitorFixture(MonitorService.Running running, String reporterToken, String viewerToken) {
        this.running = running;
        this.reporterToken = reporterToken;
        this.viewerToken = viewerToken;
    }

    /** Starts a monitor on {@code db} with its data folder in {@code dataDir}. */
    public static MonitorFixture start(DatabaseSettings db, Path dataDir) {
        ServiceConfig config = new ServiceConfig("monitor", "127.0.0.1", 0, dataDir, db,
                new BootstrapAdmin("admin", ADMIN_PASSWORD), null, Map.of());
        MonitorService.Running r = new MonitorService().start(config);
        var kit = r.kit();
        String[] tokens = kit.database().inTransaction(h -> {
            kit.users().create(h, "reporter", "reporter-password", EnumSet.of(Role.MANAGER));
            kit.users().create(h, "viewer", VIEWER_PASSWORD, EnumSet.of(Role.VIEWER));
            return new String[] {kit.users().createToken(h, "reporter", "runs", null).value(),
                    kit.users().createToken(h, "viewer", "pages", null).value()};
        });
        return new MonitorFixture(r, tokens[0], tokens[1]);
    }

    public MonitorService.Running service() {
        return running;
    }

    public java.net.URI baseUri() {
        return running.baseUri();
    }

    /** The token of {@code reporter}, a manager. */
    public String reporterToken() {
        return reporterToken;
    }

    public HttpTestClient reporter() {
        return HttpTestClient.anonymous(baseUri()).withToken(reporterToken);
    }

    public HttpTestClient viewer() {
        return HttpTestClient.anonymous(baseUri()).withToken(viewerToken);
    }

    public HttpTestClient anonymous() {
        return HttpTestClient.anonymous(baseUri());
    }

    @Override
    public void close() {
        running.close();
    }
}
