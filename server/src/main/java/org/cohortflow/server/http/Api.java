package org.cohortflow.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;
import org.cohortflow.server.auth.Authenticator;
import org.cohortflow.server.auth.Caller;
import org.cohortflow.server.auth.Role;

/**
 * Where a service registers its endpoints. Each registration names who may call it; the guard is applied
 * here, before the handler runs, and the endpoint is added to the OpenAPI document. A mutating endpoint
 * cannot be registered without a role or a callback secret.
 */
public final class Api {
    private static final String CALLER = "cohortflow.caller";
    private final RoutesConfig routes;
    private final Authenticator auth;
    private final Json json;
    private final List<Operation> operations = new ArrayList<>();

    Api(RoutesConfig routes, Authenticator auth, Json json) {
        this.routes = routes;
        this.auth = auth;
        this.json = json;
    }

    /** A read endpoint for callers with at least {@code role}. */
    public Api get(String path, Role role, String summary, Handler h) {
        return add("GET", path, summary, Operation.Access.ROLE, role, null, h);
    }

    /** A read endpoint anyone may call. */
    public Api publicGet(String path, String summary, Handler h) {
        return add("GET", path, summary, Operation.Access.PUBLIC, null, null, h);
    }

    /** A POST for callers with at least {@code role}; {@code body} documents the request (or null). */
    public Api post(String path, Role role, String summary, Class<?> body, Handler h) {
        return add("POST", path, summary, Operation.Access.ROLE, role, body, h);
    }

    public Api put(String path, Role role, String summary, Class<?> body, Handler h) {
        return add("PUT", path, summary, Operation.Access.ROLE, role, body, h);
    }

    public Api patch(String path, Role role, String summary, Class<?> body, Handler h) {
        return add("PATCH", path, summary, Operation.Access.ROLE, role, body, h);
    }

    public Api delete(String path, Role role, String summary, Handler h) {
        return add("DELETE", path, summary, Operation.Access.ROLE, role, null, h);
    }

    /**
     * An endpoint another system calls back with a per-callback secret (header {@code X-Callback-Secret}).
     * The handler must check the secret; it is documented as such.
     */
    public Api callback(String method, String path, String summary, Class<?> body, Handler h) {
        return add(method, path, summary, Operation.Access.SECRET, null, body, h);
    }

    /**
     * A server-rendered HTML page for callers with {@code role}; a browser without a session is sent to
     * the login form.
     */
    public Api page(String path, Role role, String summary, Handler h) {
        operations.add(new Operation("GET", path, summary, Operation.Access.ROLE, role, null));
        routes.get(path, ctx -> {
            java.util.Optional<Caller> c = auth.authenticate(ctx);
            if (c.isEmpty()) {
                ctx.redirect("/login?next=" + java.net.URLEncoder.encode(ctx.path(), java.nio.charset.StandardCharsets.UTF_8), io.javalin.http.HttpStatus.SEE_OTHER);
                return;
            }
            if (!c.get().has(role)) {
                throw ApiError.forbidden("user '" + c.get().name() + "' lacks role '" + role.id() + "'");
            }
            ctx.attribute(CALLER, c.get());
            h.handle(ctx);
        });
        return this;
    }

    private Api add(String method, String path, String summary, Operation.Access access, Role role, Class<?> body, Handler h) {
        Operation op = new Operation(method, path, summary, access, role, body);
        if (op.mutating() && access == Operation.Access.PUBLIC) {
            throw new IllegalArgumentException("a mutating endpoint needs a role or a callback secret: " + method + " " + path);
        }
        operations.add(op);
        Handler guarded = access == Operation.Access.ROLE ? ctx -> {
            ctx.attribute(CALLER, auth.require(ctx, role));
            h.handle(ctx);
        } : h;
        switch (method) {
            case "GET" -> routes.get(path, guarded);
            case "POST" -> routes.post(path, guarded);
            case "PUT" -> routes.put(path, guarded);
            case "PATCH" -> routes.patch(path, guarded);
            case "DELETE" -> routes.delete(path, guarded);
            default -> throw new IllegalArgumentException("unsupported method " + method);
        }
        return this;
    }

    /** The authenticated caller of a guarded endpoint. */
    public static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        if (c == null) {
            throw new IllegalStateException("no caller: the endpoint " + ctx.path() + " is not guarded by a role");
        }
        return c;
    }

    /** Reads the request body strictly as {@code type} (400 naming the field on any problem). */
    public <T> T body(Context ctx, Class<T> type) {
        return json.read(ctx.bodyAsBytes(), type);
    }

    /** The JSON mapping. */
    public Json json() {
        return json;
    }

    /** The authenticator, for handlers that check credentials themselves. */
    public Authenticator authenticator() {
        return auth;
    }

    /** Every operation registered so far. */
    public List<Operation> operations() {
        return List.copyOf(operations);
    }

    /** An integer query parameter with bounds; 400 naming it when malformed. */
    public static int intQuery(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw ApiError.badRequest(name, "'" + name + "' must be between " + min + " and " + max + ", found " + i);
            }
            return i;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name, "'" + name + "' must be an integer, found '" + v + "'");
        }
    }

    /** A numeric path parameter; 404 when it is not a number (no such thing can exist). */
    public static long idParam(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ApiError.notFound("no " + name + " '" + ctx.pathParam(name) + "'");
        }
    }
}
