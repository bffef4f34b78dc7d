package org.cohortflow.server.config;

import java.nio.file.Path;

/**
 * How a service reaches its database: a JDBC URL (H2 or PostgreSQL) with its credentials.
 *
 * @param url      JDBC URL, {@code jdbc:h2:...} or {@code jdbc:postgresql:...}
 * @param user     user name (may be empty for H2)
 * @param password password (may be empty)
 */
public record DatabaseSettings(String url, String user, String password) {
    /** How {@link #h2File} names the database file: H2's interrupt-safe file access. */
    public static final String H2_FILE_PREFIX = "jdbc:h2:async:";

    public DatabaseSettings {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database url must not be empty");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /**
     * The embedded default: an H2 file database inside the service's data folder. {@code WRITE_DELAY=0}
     * makes every commit reach the file before the commit returns (H2's default lets up to half a second
     * of commits wait in memory), so a service killed with {@code kill -9} loses nothing it reported done.
     * <p>
     * With {@code WRITE_DELAY=0} the committing thread writes the file itself, and H2's default file
     * access ({@code file:}, a {@link java.nio.channels.FileChannel}) is closed by the JDK when that thread
     * is interrupted (a worker stopped with {@code shutdownNow}, a cancelled task): H2 then fails the commit,
     * marks the store broken and closes the whole database. {@code async:} (an
     * {@link java.nio.channels.AsynchronousFileChannel} that H2 waits on without giving up on interrupts)
     * reads and writes the same file format and is not closed by an interrupt.
     */
    public static DatabaseSettings h2File(Path dataDir) {
        return new DatabaseSettings(H2_FILE_PREFIX + dataDir.toAbsolutePath().resolve("db") + ";AUTO_SERVER=FALSE;WRITE_DELAY=0", "sa", "");
    }

    /**
     * These settings with an H2 file database opened through H2's interrupt-safe file access: {@code jdbc:h2:file:}
     * and a bare path ({@code jdbc:h2:/srv/db}, {@code jdbc:h2:./db}, {@code jdbc:h2:~/db}) become
     * {@code jdbc:h2:async:} with the same path and options, which reads and writes the same files (see
     * {@link #h2File}, why). In-memory, server ({@code tcp:}, {@code ssl:}) and explicitly chosen file systems
     * ({@code async:}, {@code nio:}, ...) are kept as given, as is every other database.
     */
    public DatabaseSettings interruptSafe() {
        String rest;
        if (url.startsWith("jdbc:h2:file:")) {
            rest = url.substring("jdbc:h2:file:".length());
        } else if (url.startsWith("jdbc:h2:") && startsLikeAPath(url.substring("jdbc:h2:".length()))) {
            rest = url.substring("jdbc:h2:".length());
        } else {
            return this;
        }
        return new DatabaseSettings(H2_FILE_PREFIX + rest, user, password);
    }

    private static boolean startsLikeAPath(String s) {
        return s.startsWith("/") || s.startsWith("./") || s.startsWith("../") || s.startsWith("~")
                || s.matches("(?s)^[A-Za-z]:[\\\\/].*");
    }

    /** True when the URL names an embedded H2 database in a file (whose folder must exist). */
    public boolean isH2File() {
        return url.startsWith("jdbc:h2:file:") || url.startsWith(H2_FILE_PREFIX);
    }

    /** True when the URL names PostgreSQL. */
    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** Redacted form for logs and messages. */
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", password=***]";
    }
}
