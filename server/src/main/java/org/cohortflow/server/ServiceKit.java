package org.cohortflow.server;

import java.io.PrintStream;
import java.time.Clock;
import java.util.EnumSet;
import java.util.function.Consumer;
import org.cohortflow.dsl.BuildVersion;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.auth.Authenticator;
import org.cohortflow.server.auth.PasswordHasher;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.auth.UserRoutes;
import org.cohortflow.server.auth.Users;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.db.Database;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.Json;
import org.cohortflow.server.http.ServiceServer;

/**
 * The parts every service starts with, wired together: its database (migrated), users and tokens, the
 * audit log, the authenticator and the JSON mapping. A service opens a kit, adds its own state on the
 * kit's database and serves its routes with {@link #serve}.
 */
public final class ServiceKit implements AutoCloseable {
    private final ServiceConfig config;
    private final Database database;
    private final Users users;
    private final AuditLog audit;
    private final Authenticator authenticator;
    private final Json json = new Json();
    private final Clock clock;

    private ServiceKit(ServiceConfig config, Database database, Clock clock, PasswordHasher hasher) {
        this.config = config;
        this.database = database;
        this.clock = clock;
        this.users = new Users(hasher, clock);
        this.audit = new AuditLog(clock);
        this.authenticator = new Authenticator(database, users);
    }

    /**
     * Opens the service's database (creating the data folder for an H2 file), runs the kit's and the
     * service's migrations and, when there are no users yet, creates the bootstrap administrator; a
     * generated password is printed once on {@code out}.
     *
     * @param serviceMigrations classpath folder of the service's Flyway scripts ({@code db/governor}) or null
     */
    public static ServiceKit open(ServiceConfig config, String serviceMigrations, PrintStream out) {
        return open(config, serviceMigrations, out, Clock.systemUTC(), new PasswordHasher());
    }

    /** As {@link #open(ServiceConfig, String, PrintStream)} with a chosen clock and password hasher. */
    public static ServiceKit open(ServiceConfig config, String serviceMigrations, PrintStream out, Clock clock,
                                  PasswordHasher hasher) {
        if (config.database().isH2File()) {
            try {
                java.nio.file.Files.createDirectories(config.dataDir());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create data folder " + config.dataDir(), e);
            }
        }
        Database db = Database.open(config.database(), config.name(), serviceMigrations);
        ServiceKit kit = new ServiceKit(config, db, clock, hasher);
        try {
            kit.bootstrapAdmin(out);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return kit;
    }

    private void bootstrapAdmin(PrintStream out) {
        database.useTransaction(h -> {
            if (users.count(h) > 0) {
                return;
            }
            String name = config.admin().name();
            String password = config.admin().password();
            boolean generated = password == null;
            if (generated) {
                password = users.hasher().randomSecret(18);
            }
            users.create(h, name, password, EnumSet.of(Role.ADMIN));
            audit.record(h, "system", "user.create", "user/" + name, "bootstrap administrator");
            if (generated) {
                out.println(config.name() + ": created user '" + name + "' with password " + password
                        + " (shown once; change it with PATCH /api/v1/users/" + name + ")");
            }
        });
    }

    /**
     * Starts the HTTP server on the configured host and port with the kit's endpoints (health, OpenAPI,
     * users, tokens, audit, login) and the service's; the OpenAPI document carries the build's version
     * ({@link BuildVersion}).
     */
    public ServiceServer serve(Consumer<Api> routes) {
        return serve(BuildVersion.version(), routes);
    }

    /**
     * Starts the HTTP server as {@link #serve(Consumer)} does, with {@code version} in the OpenAPI document (for
     * tests of the kit itself).
     */
    public ServiceServer serve(String version, Consumer<Api> routes) {
        UserRoutes userRoutes = new UserRoutes(database, users, audit, clock);
        return ServiceServer.start(new ServiceServer.Options(config.name(), version, config.host(), config.port(),
                database::ping), authenticator, json, api -> {
                    userRoutes.register(api);
                    routes.accept(api);
                });
    }

    public ServiceConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public Users users() {
        return users;
    }

    public AuditLog audit() {
        return audit;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public Json json() {
        return json;
    }

    public Clock clock() {
        return clock;
    }

    /** Closes the database. */
    @Override
    public void close() {
        database.close();
    }
}
