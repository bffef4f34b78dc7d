package org.cohortflow.server.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Users and their API tokens in the service's database. Every method takes the handle of the caller's
 * transaction so a change commits together with its audit entry.
 */
public final class Users {
    private final PasswordHasher hasher;
    private final Clock clock;

    public Users(PasswordHasher hasher, Clock clock) {
        this.hasher = hasher;
        this.clock = clock;
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    /**
     * Creates a user.
     *
     * @throws IllegalArgumentException when the name is taken or invalid, or the password too short
     */
    public User create(Handle h, String name, String password, Set<Role> roles) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,100}")) {
            throw new IllegalArgumentException("name must be 1-100 letters, digits or . _ @ -");
        }
        if (password != null && password.length() < 8) {
            throw new IllegalArgumentException("password must have at least 8 characters");
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a user needs at least one role");
        }
        if (find(h, name).isPresent()) {
            throw new IllegalArgumentException("user '" + name + "' exists");
        }
        Instant now = clock.instant();
        long id = h.createUpdate("INSERT INTO app_user (name, password_hash, roles, created_at) VALUES (:n, :p, :r, :c)")
                .bind("n", name).bind("p", password == null ? null : hasher.hash(password))
                .bind("r", rolesText(roles)).bind("c", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new User(id, name, roles, now, false);
    }

    /** The number of users. */
    public long count(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM app_user").mapTo(Long.class).one();
    }

    public Optional<User> find(Handle h, String name) {
        return h.createQuery("SELECT id, name, roles, created_at, disabled FROM app_user WHERE name = :n")
                .bind("n", name).map((rs, c) -> user(rs)).findOne();
    }

    public List<User> list(Handle h) {
        return h.createQuery("SELECT id, name, roles, created_at, disabled FROM app_user ORDER BY name")
                .map((rs, c) -> user(rs)).list();
    }

    /** Sets a new password. */
    public void setPassword(Handle h, String name, String password) {
        if (password == null || password.length() < 8) {
            throw new IllegalArgumentException("password must have at least 8 characters");
        }
        int n = h.createUpdate("UPDATE app_user SET password_hash = :p WHERE name = :n")
                .bind("p", hasher.hash(password)).bind("n", name).execute();
        if (n == 0) {
            throw new IllegalArgumentException("no user '" + name + "'");
        }
    }

    /** Enables or disables a user; a disabled user's password and tokens stop working. */
    public void setDisabled(Handle h, String name, boolean disabled) {
        int n = h.createUpdate("UPDATE app_user SET disabled = :d WHERE name = :n").bind("d", disabled).bind("n", name).execute();
        if (n == 0) {
            throw new IllegalArgumentException("no user '" + name + "'");
        }
    }

    /** The caller for a user name and password, when they match an enabled user. */
    public Optional<Caller> checkPassword(Handle h, String name, String password) {
        record Row(long id, String hash, String roles, boolean disabled) {}
        Optional<Row> row = h.createQuery("SELECT id, password_hash, roles, disabled FROM app_user WHERE name = :n")
                .bind("n", name).map((rs, c) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)))
                .findOne();
        if (row.isEmpty() || row.get().disabled() || !hasher.matches(password, row.get().hash())) {
            return Optional.empty();
        }
        return Optional.of(new Caller(row.get().id(), name, parseRoles(row.get().roles()), "password"));
    }

    /**
     * Creates an API token for a user. The returned value is shown once; only its SHA-256 is stored.
     *
     * @param expires when it stops working, or {@code null} for never
     */
    public NewToken createToken(Handle h, String userName, String label, Instant expires) {
        User u = find(h, userName).orElseThrow(() -> new IllegalArgumentException("no user '" + userName + "'"));
        if (label == null || label.isBlank() || label.length() > 200) {
            throw new IllegalArgumentException("label must be 1-200 characters");
        }
        String value = "cft_" + hasher.randomSecret(32);
        Instant now = clock.instant();
        long id = h.createUpdate("INSERT INTO api_token (user_id, label, token_hash, created_at, expires_at) VALUES (:u, :l, :h, :c, :e)")
                .bind("u", u.id()).bind("l", label).bind("h", PasswordHasher.sha256(value)).bind("c", now).bind("e", expires)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new NewToken(new ApiToken(id, userName, label, now, expires, null), value);
    }

    /** The caller a token value stands for, when it is known, not revoked, not expired and its user enabled. */
    public Optional<Caller> checkToken(Handle h, String value, String via) {
        Instant now = clock.instant();
        return h.createQuery("SELECT u.id, u.name, u.roles FROM api_token t JOIN app_user u ON u.id = t.user_id"
                        + " WHERE t.token_hash = :h AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now)"
                        + " AND u.disabled = FALSE")
                .bind("h", PasswordHasher.sha256(value)).bind("now", now)
                .map((rs, c) -> new Caller(rs.getLong(1), rs.getString(2), parseRoles(rs.getString(3)), via)).findOne();
    }

    /** Tokens of one user, or of all users when {@code userName} is null. */
    public List<ApiToken> tokens(Handle h, String userName) {
        String where = userName == null ? "" : " WHERE u.name = :n";
        var q = h.createQuery("SELECT t.id, u.name, t.label, t.created_at, t.expires_at, t.revoked_at FROM api_token t"
                + " JOIN app_user u ON u.id = t.user_id" + where + " ORDER BY t.id");
        if (userName != null) {
            q.bind("n", userName);
        }
        return q.map((rs, c) -> new ApiToken(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                instant(rs, 5), instant(rs, 6))).list();
    }

    public Optional<ApiToken> token(Handle h, long id) {
        return h.createQuery("SELECT t.id, u.name, t.label, t.created_at, t.expires_at, t.revoked_at FROM api_token t"
                        + " JOIN app_user u ON u.id = t.user_id WHERE t.id = :id").bind("id", id)
                .map((rs, c) -> new ApiToken(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                        instant(rs, 5), instant(rs, 6))).findOne();
    }

    /** Revokes a token; revoking twice is harmless. Returns false for an unknown id. */
    public boolean revokeToken(Handle h, long id) {
        return h.createUpdate("UPDATE api_token SET revoked_at = COALESCE(revoked_at, :now) WHERE id = :id")
                .bind("now", clock.instant()).bind("id", id).execute() == 1;
    }

    private static Instant instant(java.sql.ResultSet rs, int col) throws java.sql.SQLException {
        java.sql.Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }

    private static User user(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new User(rs.getLong("id"), rs.getString("name"), parseRoles(rs.getString("roles")),
                rs.getTimestamp("created_at").toInstant(), rs.getBoolean("disabled"));
    }

    static String rolesText(Set<Role> roles) {
        return roles.stream().sorted().map(Role::id).collect(Collectors.joining(","));
    }

    static Set<Role> parseRoles(String text) {
        Set<Role> out = EnumSet.noneOf(Role.class);
        Arrays.stream(text.split(",")).map(Role::parse).flatMap(Optional::stream).forEach(out::add);
        return out;
    }
}
