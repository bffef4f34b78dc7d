package org.cohortflow.server.auth;

import java.util.Set;

/**
 * Who is making a request, once authenticated.
 *
 * @param userId the user's id
 * @param name   the user's name (what the audit log records)
 * @param roles  the user's roles
 * @param via    how the caller authenticated: {@code password}, {@code token} or {@code session}
 */
public record Caller(long userId, String name, Set<Role> roles, String via) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** True when one of the caller's roles allows {@code needed}. */
    public boolean has(Role needed) {
        return roles.stream().anyMatch(r -> r.allows(needed));
    }
}
