package org.cohortflow.server.config;

/**
 * The first administrator created when a service starts with no users. With no password given, the
 * service generates one and prints it once.
 *
 * @param name     user name (default {@code admin})
 * @param password the password, or {@code null} to generate one
 */
public record BootstrapAdmin(String name, String password) {

    public BootstrapAdmin {
        name = name == null || name.isBlank() ? "admin" : name;
    }

    /** The default: user {@code admin} with a generated password. */
    public static BootstrapAdmin generated() {
        return new BootstrapAdmin("admin", null);
    }
}
