package org.cohortflow.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.cohortflow.server.config.DatabaseSettings;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;

/**
 * A service's database: a pooled connection to H2 or PostgreSQL whose connections all work in the
 * service's own schema, migrated by Flyway on open (first the kit's tables from {@code classpath:db/server},
 * then the service's from {@code classpath:db/<service>}), with JDBI on top.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final String schema;
    private final boolean postgres;

    private Database(HikariDataSource pool, String schema, boolean postgres) {
        this.pool = pool;
        this.schema = schema;
        this.postgres = postgres;
        this.jdbi = Jdbi.create(pool);
    }

    /**
     * Opens the database and brings both the kit's and the service's tables up to date.
     *
     * @param settings           where the database is
     * @param schema             the service's schema (its name)
     * @param serviceMigrations  classpath folder of the service's Flyway scripts, e.g. {@code db/governor},
     *                           or {@code null} for none
     */
    public static Database open(DatabaseSettings settings, String schema, String serviceMigrations) {
        return open(settings, schema, serviceMigrations, 10);
    }

    /** As {@link #open(DatabaseSettings, String, String)} with a chosen connection pool size. */
    public static Database open(DatabaseSettings settings, String schema, String serviceMigrations, int poolSize) {
        if (!schema.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("schema must be lower-case letters, digits or '_': " + schema);
        }
        createSchema(settings, schema);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(settings.url());
        hc.setUsername(settings.user());
        hc.setPassword(settings.password());
        hc.setMaximumPoolSize(poolSize);
        hc.setPoolName("cohortflow-" + schema);
        // Every connection works in the service's schema, so SQL never names it.
        hc.setSchema(settings.isPostgres() ? schema : schema.toUpperCase(java.util.Locale.ROOT));
        HikariDataSource pool = new HikariDataSource(hc);
        try {
            migrate(pool, schema, settings.isPostgres(), "db/server", "flyway_server_history");
            if (serviceMigrations != null) {
                migrate(pool, schema, settings.isPostgres(), serviceMigrations, "flyway_history");
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, schema, settings.isPostgres());
    }

    private static void createSchema(DatabaseSettings settings, String schema) {
        try (Connection c = java.sql.DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + (settings.isPostgres() ? schema : schema.toUpperCase(java.util.Locale.ROOT)));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open database " + settings.url() + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(DataSource ds, String schema, boolean postgres, String location, String table) {
        String s = postgres ? schema : schema.toUpperCase(java.util.Locale.ROOT);
        Flyway.configure()
                .dataSource(ds)
                .schemas(s)
                .defaultSchema(s)
                .createSchemas(false)
                .table(table)
                .locations("classpath:" + location)
                // The kit's and the service's scripts share the schema with separate history tables; the
                // second finds the first's tables, which is expected: start its history below version 1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    /** JDBI over the pool; its connections are in the service's schema. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** The pooled data source. */
    public DataSource dataSource() {
        return pool;
    }

    /** The service's schema. */
    public String schema() {
        return schema;
    }

    /** True for PostgreSQL, false for H2. */
    public boolean isPostgres() {
        return postgres;
    }

    /** Runs {@code callback} in one transaction: committed when it returns, rolled back when it throws. */
    public <R, X extends Exception> R inTransaction(HandleCallback<R, X> callback) throws X {
        return jdbi.inTransaction(callback);
    }

    /** Runs {@code consumer} in one transaction. */
    public <X extends Exception> void useTransaction(HandleConsumer<X> consumer) throws X {
        jdbi.useTransaction(consumer);
    }

    /** Runs {@code callback} with a handle outside an explicit transaction (auto-commit), for reads. */
    public <R, X extends Exception> R withHandle(HandleCallback<R, X> callback) throws X {
        return jdbi.withHandle(callback);
    }

    /** Closes the pool. */
    @Override
    public void close() {
        pool.close();
    }

    /** A handle's connection is healthy when a trivial query answers. */
    public boolean ping() {
        try {
            return jdbi.withHandle((Handle h) -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
