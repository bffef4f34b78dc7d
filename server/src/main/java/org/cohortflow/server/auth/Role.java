package org.cohortflow.server.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user may do. Roles are ordered: an admin may do what a manager may, a manager what a viewer
 * may. Services may add per-study permissions on top.
 */
public enum Role {
    /** Reads everything. */
    VIEWER,
    /** Changes the service's data (studies, experiments, tasks). */
    MANAGER,
    /** Manages users and tokens as well. */
    ADMIN;

    /** True when a holder of this role may do what {@code needed} allows. */
    public boolean allows(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    /** The role's name as written in APIs and configuration ({@code admin}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code admin|manager|viewer} (case-insensitive). */
    public static Optional<Role> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.id().equalsIgnoreCase(text.trim())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
