package org.cohortflow.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.db.Database;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;
import org.cohortflow.server.http.Html;
import org.cohortflow.server.http.InvalidFieldException;

/**
 * The endpoints every service has for its users: {@code /api/v1/users}, {@code /api/v1/tokens},
 * {@code /api/v1/audit}, and the browser's {@code /login} and {@code /logout}.
 */
public final class UserRoutes {
    private static final Duration SESSION = Duration.ofHours(12);
    private final Database db;
    private final Users users;
    private final AuditLog audit;
    private final Clock clock;

    public UserRoutes(Database db, Users users, AuditLog audit, Clock clock) {
        this.db = db;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    /** Request to create a user. */
    public record NewUser(String name, String password, List<String> roles) {
        public NewUser {
            InvalidFieldException.requireText(name, "name");
            InvalidFieldException.requireText(password, "password");
            if (roles == null || roles.isEmpty()) {
                throw new InvalidFieldException("roles", "'roles' needs at least one of admin, manager, viewer");
            }
            for (String r : roles) {
                if (Role.parse(r).isEmpty()) {
                    throw new InvalidFieldException("roles", "unknown role '" + r + "' (admin, manager, viewer)");
                }
            }
            roles = List.copyOf(roles);
        }

        Set<Role> roleSet() {
            Set<Role> s = EnumSet.noneOf(Role.class);
            roles.forEach(r -> s.add(Role.parse(r).orElseThrow()));
            return s;
        }
    }

    /** Request to change a user. */
    public record UserChange(String password, Boolean disabled) {}

    /** Request to create a token; {@code user} defaults to the caller (only admins name others). */
    public record TokenRequest(String label, String user, Long validDays) {
        public TokenRequest {
            InvalidFieldException.requireText(label, "label");
            if (validDays != null && validDays < 1) {
                throw new InvalidFieldException("validDays", "'validDays' must be at least 1");
            }
        }
    }

    /** Registers the endpoints. */
    public void register(Api api) {
        api.get("/api/v1/users", Role.ADMIN, "List users", ctx -> ctx.json(db.withHandle(users::list)));
        api.post("/api/v1/users", Role.ADMIN, "Create a user", NewUser.class, ctx -> {
            NewUser req = api.body(ctx, NewUser.class);
            Caller by = Api.caller(ctx);
            User u = db.inTransaction(h -> {
                if (users.find(h, req.name()).isPresent()) {
                    throw ApiError.conflict("user '" + req.name() + "' exists");
                }
                User made = create(h, req, by);
                return made;
            });
            ctx.status(201).json(u);
        });
        api.patch("/api/v1/users/{name}", Role.ADMIN, "Change a user's password or disable them", UserChange.class, ctx -> {
            UserChange req = api.body(ctx, UserChange.class);
            String name = ctx.pathParam("name");
            Caller by = Api.caller(ctx);
            User u = db.inTransaction(h -> {
                users.find(h, name).orElseThrow(() -> ApiError.notFound("no user '" + name + "'"));
                if (req.password() != null) {
                    try {
                        users.setPassword(h, name, req.password());
                    } catch (IllegalArgumentException e) {
                        throw ApiError.badRequest("password", e.getMessage());
                    }
                    audit.record(h, by.name(), "user.password", "user/" + name, "password changed");
                }
                if (req.disabled() != null) {
                    users.setDisabled(h, name, req.disabled());
                    audit.record(h, by.name(), req.disabled() ? "user.disable" : "user.enable", "user/" + name, null);
                }
                return users.find(h, name).orElseThrow();
            });
            ctx.json(u);
        });
        api.get("/api/v1/tokens", Role.VIEWER, "List my tokens (all tokens for an admin)", ctx -> {
            Caller c = Api.caller(ctx);
            ctx.json(db.withHandle(h -> users.tokens(h, c.has(Role.ADMIN) ? null : c.name())));
        });
        api.post("/api/v1/tokens", Role.VIEWER, "Create an API token (its value is shown once)", TokenRequest.class, ctx -> {
            TokenRequest req = api.body(ctx, TokenRequest.class);
            Caller by = Api.caller(ctx);
            String owner = req.user() == null ? by.name() : req.user();
            if (!owner.equals(by.name()) && !by.has(Role.ADMIN)) {
                throw ApiError.forbidden("only an admin creates tokens for another user");
            }
            NewToken t = db.inTransaction(h -> {
                users.find(h, owner).orElseThrow(() -> ApiError.badRequest("user", "no user '" + owner + "'"));
                Instant expires = req.validDays() == null ? null : clock.instant().plus(Duration.ofDays(req.validDays()));
                NewToken made = users.createToken(h, owner, req.label(), expires);
                audit.record(h, by.name(), "token.create", "user/" + owner + "/token/" + made.token().id(), req.label());
                return made;
            });
            ctx.status(201).json(t);
        });
        api.delete("/api/v1/tokens/{id}", Role.VIEWER, "Revoke a token (own, or any for an admin)", ctx -> {
            long id = Api.idParam(ctx, "id");
            Caller by = Api.caller(ctx);
            db.useTransaction(h -> {
                ApiToken t = users.token(h, id).orElseThrow(() -> ApiError.notFound("no token " + id));
                if (!t.userName().equals(by.name()) && !by.has(Role.ADMIN)) {
                    throw ApiError.forbidden("token " + id + " belongs to another user");
                }
                users.revokeToken(h, id);
                audit.record(h, by.name(), "token.revoke", "user/" + t.userName() + "/token/" + id, null);
            });
            ctx.status(204);
        });
        api.get("/api/v1/audit", Role.MANAGER, "The audit log, newest first (?target=experiment/42&limit=&offset=)", ctx -> {
            int limit = Api.intQuery(ctx, "limit", 100, 1, 1000);
            int offset = Api.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            String target = ctx.queryParam("target");
            ctx.json(db.withHandle(h -> audit.list(h, target, limit, offset)));
        });

        api.publicGet("/login", "The login form", ctx -> ctx.html(loginForm(ctx.queryParam("next"), null)));
        // Logging in creates a session token: a mutation, but of no one's data but the caller's own, and it
        // is authenticated by the password it carries, so it is documented as a SECRET-style endpoint.
        api.callback("POST", "/login", "Log in with a form (name, password); sets the session cookie", null, ctx -> {
            String name = ctx.formParam("name");
            String password = ctx.formParam("password");
            String next = safeNext(ctx.formParam("next"));
            Caller c = name == null || password == null ? null
                    : db.withHandle(h -> users.checkPassword(h, name, password)).orElse(null);
            if (c == null) {
                ctx.status(401).html(loginForm(next, "Wrong user name or password."));
                return;
            }
            NewToken t = db.inTransaction(h -> {
                NewToken made = users.createToken(h, c.name(), "session", clock.instant().plus(SESSION));
                audit.record(h, c.name(), "session.login", "user/" + c.name() + "/token/" + made.token().id(), null);
                return made;
            });
            ctx.header("Set-Cookie", Authenticator.SESSION_COOKIE + "=" + t.value()
                    + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + SESSION.toSeconds());
            ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
        });
        api.post("/logout", Role.VIEWER, "End the browser session", null, ctx -> {
            String cookie = ctx.cookie(Authenticator.SESSION_COOKIE);
            Caller by = Api.caller(ctx);
            if (cookie != null) {
                db.useTransaction(h -> {
                    h.createUpdate("UPDATE api_token SET revoked_at = :now WHERE token_hash = :h AND revoked_at IS NULL")
                            .bind("now", clock.instant()).bind("h", PasswordHasher.sha256(cookie)).execute();
                    audit.record(h, by.name(), "session.logout", "user/" + by.name(), null);
                });
            }
            ctx.header("Set-Cookie", Authenticator.SESSION_COOKIE + "=; Path=/; Max-Age=0");
            ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
        });
    }

    private User create(org.jdbi.v3.core.Handle h, NewUser req, Caller by) {
        try {
            User u = users.create(h, req.name(), req.password(), req.roleSet());
            audit.record(h, by.name(), "user.create", "user/" + u.name(), "roles " + Users.rolesText(u.roles()));
            return u;
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("password") ? "password" : "name";
            throw ApiError.badRequest(field, e.getMessage());
        }
    }

    private static String safeNext(String next) {
        // Only local paths: an open redirect would let a link send a fresh session elsewhere.
        return next != null && next.startsWith("/") && !next.startsWith("//") ? next : "/";
    }

    private static String loginForm(String next, String message) {
        String n = safeNext(next);
        return Html.page("Log in", "<h1>Log in</h1>"
                + (message == null ? "" : "<p class=\"bad\" id=\"login-error\">" + Html.escape(message) + "</p>")
                + "<form method=\"post\" action=\"/login\">"
                + "<input type=\"hidden\" name=\"next\" value=\"" + Html.escape(n) + "\">"
                + "<p><label>User <input name=\"name\" id=\"name\" autocomplete=\"username\"></label></p>"
                + "<p><label>Password <input name=\"password\" id=\"password\" type=\"password\" autocomplete=\"current-password\"></label></p>"
                + "<p><button type=\"submit\" id=\"login\">Log in</button></p></form>");
    }
}
