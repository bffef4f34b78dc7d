package org.cohortflow.server.auth;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.cohortflow.server.db.Database;
import org.cohortflow.server.http.ApiError;

/**
 * Resolves a request's credentials to a {@link Caller}: HTTP Basic (user and password),
 * {@code Authorization: Bearer TOKEN}, or the session cookie a browser gets at {@code /login}.
 */
public final class Authenticator {
    /** The cookie that carries a browser session's token. */
    public static final String SESSION_COOKIE = "cf_session";
    private final Database db;
    private final Users users;

    public Authenticator(Database db, Users users) {
        this.db = db;
        this.users = users;
    }

    /**
     * The caller, or empty when the request carries no credentials.
     *
     * @throws ApiError 401 when credentials are present but wrong
     */
    public Optional<Caller> authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            Caller c = fromHeader(header.trim());
            if (c == null) {
                throw ApiError.unauthorized("invalid credentials");
            }
            return Optional.of(c);
        }
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie != null && !cookie.isBlank()) {
            return db.withHandle(h -> users.checkToken(h, cookie, "session"));
        }
        return Optional.empty();
    }

    private Caller fromHeader(String header) {
        int space = header.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String scheme = header.substring(0, space);
        String value = header.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return db.withHandle(h -> users.checkToken(h, value, "token")).orElse(null);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            String name = decoded.substring(0, colon);
            String password = decoded.substring(colon + 1);
            return db.withHandle(h -> users.checkPassword(h, name, password)).orElse(null);
        }
        return null;
    }

    /**
     * The caller when it has at least {@code role}.
     *
     * @throws ApiError 401 without (valid) credentials, 403 when the role is lacking
     */
    public Caller require(Context ctx, Role role) {
        Caller c = authenticate(ctx).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Basic realm=\"cohortflow\", charset=\"UTF-8\"");
            return ApiError.unauthorized("authentication required (HTTP Basic or Bearer token)");
        });
        if (!c.has(role)) {
            throw ApiError.forbidden("user '" + c.name() + "' lacks role '" + role.id() + "'");
        }
        return c;
    }
}
