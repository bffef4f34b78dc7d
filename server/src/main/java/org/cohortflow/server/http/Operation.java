package org.cohortflow.server.http;

import org.cohortflow.server.auth.Role;

/**
 * One documented endpoint of a service.
 *
 * @param method   HTTP method, upper case
 * @param path     path with {@code {param}} placeholders
 * @param summary  what it does
 * @param access   who may call it
 * @param role     the least role needed when {@code access} is {@link Access#ROLE}, else {@code null}
 * @param body     the request body's type, or {@code null}
 */
public record Operation(String method, String path, String summary, Access access, Role role, Class<?> body) {

    /** How an endpoint authenticates its caller. */
    public enum Access {
        /** Anyone (health, the OpenAPI document, the login form). */
        PUBLIC,
        /** A user or token with at least {@link Operation#role()}. */
        ROLE,
        /** A per-callback secret (header {@code X-Callback-Secret}), checked by the handler. */
        SECRET
    }

    /** True for methods that change state. */
    public boolean mutating() {
        return !method.equals("GET") && !method.equals("HEAD");
    }
}
