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
     */
    public static DatabaseSettings h2File(Path dataDir) {
        return new DatabaseSettings("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db") + ";AUTO_SERVER=FALSE;WRITE_DELAY=0", "sa", "");
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
