package org.cohortflow.server.auth;

import java.time.Instant;
import java.util.Set;

/**
 * A user as the API shows it (never with the password hash).
 *
 * @param id       database id
 * @param name     login name
 * @param roles    roles
 * @param created  when the user was created
 * @param disabled a disabled user cannot authenticate
 */
public record User(long id, String name, Set<Role> roles, Instant created, boolean disabled) {
    public User {
        roles = Set.copyOf(roles);
    }
}
