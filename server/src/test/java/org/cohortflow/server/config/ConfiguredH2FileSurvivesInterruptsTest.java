package org.cohortflow.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database URL written in a service's configuration as an H2 file gets the same interrupt-safe file access as
 * the embedded default: with H2's plain {@code file:} access, a commit on an interrupted thread closes the database.
 */
class ConfiguredH2FileSurvivesInterruptsTest {

    private static DatabaseSettings configured(String url) {
        return ServiceConfig.parse("name: tasks\ndatabase: {url: \"" + url + "\", user: sa}\n", "tasks.yaml", "tasks").database();
    }

    @Test
    void fileAndBarePathUrlsAreReadAsAsyncAndOtherUrlsAreKept() {
        assertEquals("jdbc:h2:async:/srv/tasks/db;WRITE_DELAY=0", configured("jdbc:h2:file:/srv/tasks/db;WRITE_DELAY=0").url());
        assertEquals("jdbc:h2:async:./db", configured("jdbc:h2:./db").url());
        assertEquals("jdbc:h2:async:~/db", configured("jdbc:h2:~/db").url());
        assertEquals("jdbc:h2:async:/srv/db", configured("jdbc:h2:/srv/db").url());
        assertEquals("jdbc:h2:mem:tasks", configured("jdbc:h2:mem:tasks").url());
        assertEquals("jdbc:h2:nio:/srv/db", configured("jdbc:h2:nio:/srv/db").url());
        assertEquals("jdbc:h2:tcp://db.example.org/tasks", configured("jdbc:h2:tcp://db.example.org/tasks").url());
        assertEquals("jdbc:postgresql://127.0.0.1/tasks", configured("jdbc:postgresql://127.0.0.1/tasks").url());
        assertTrue(configured("jdbc:h2:file:/srv/tasks/db").isH2File());
    }

    @Test
    void aCommitOnAnInterruptedThreadKeepsAConfiguredFileDatabaseOpen(@TempDir Path dir) throws SQLException {
        String written = "jdbc:h2:file:" + dir.resolve("configured") + ";WRITE_DELAY=0";
        DatabaseSettings db = configured(written);
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            c.createStatement().execute("CREATE TABLE answers (id INT PRIMARY KEY)");
            commitWhileInterrupted(c, 1);
            try (ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM answers")) {
                r.next();
                assertEquals(1, r.getInt(1));
            }
        }
    }

    @Test
    void theSameCommitThroughPlainFileAccessFailsWhichIsWhyTheUrlIsRewritten(@TempDir Path dir) throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("plain") + ";WRITE_DELAY=0";
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("CREATE TABLE answers (id INT PRIMARY KEY)");
            assertThrows(SQLException.class, () -> {
                commitWhileInterrupted(c, 1);
                // Should the commit itself slip through, the store is closed by now: the next statement fails.
                c.createStatement().execute("INSERT INTO answers VALUES (2)");
            });
        } catch (SQLException closedAlready) {
            // closing a database that the interrupt already closed may itself fail; the assertion above is what counts
        }
    }

    private static void commitWhileInterrupted(Connection c, int id) throws SQLException {
        Thread.currentThread().interrupt();
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO answers VALUES (" + id + ")");
        } finally {
            Thread.interrupted();
        }
    }
}
