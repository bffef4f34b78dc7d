package org.cohortflow.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cohortflow.server.config.DatabaseSettings;

/**
 * The two databases every service test suite runs on: an H2 file in a temporary folder and a real
 * PostgreSQL. A suite is written once against this interface and run by one subclass per database.
 */
public interface TestDatabase extends AutoCloseable {

    /** A fresh, empty database. */
    DatabaseSettings fresh();

    /** Short name for test display: {@code h2} or {@code postgresql}. */
    String kind();

    @Override
    void close();

    /** H2 file databases under a temporary folder. */
    static TestDatabase h2() {
        try {
            Path dir = Files.createTempDirectory("cohortflow-h2-");
            int[] n = {0};
            return new TestDatabase() {
                @Override
                public DatabaseSettings fresh() {
                    return new DatabaseSettings(DatabaseSettings.H2_FILE_PREFIX + dir.resolve("db" + (++n[0])) + ";WRITE_DELAY=0", "sa", "");
                }

                @Override
                public String kind() {
                    return "h2";
                }

                @Override
                public void close() {
                    // The folder is in the system temp area; H2 files are small.
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Databases on a PostgreSQL server started for the test class. */
    static TestDatabase postgres() {
        PostgresServer server = PostgresServer.start();
        return new TestDatabase() {
            @Override
            public DatabaseSettings fresh() {
                return server.createDatabase();
            }

            @Override
            public String kind() {
                return "postgresql";
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
