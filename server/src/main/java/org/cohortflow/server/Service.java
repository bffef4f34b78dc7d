package org.cohortflow.server;

import org.cohortflow.server.config.ServiceConfig;

/**
 * A cohortflow service that {@code cohortflow serve NAME} can start. Implementations are found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/org.cohortflow.server.Service} file), so the
 * command line knows services only through this interface.
 */
public interface Service {

    /** The service's name: {@code governor}, {@code tasks}, ... (also its database schema). */
    String name();

    /** One line saying what the service does, for {@code cohortflow serve --help}. */
    String description();

    /**
     * The path of the service's page for people (a browser's first stop), which {@code cohortflow serve} prints
     * next to the service's URL.
     */
    default String page() {
        return "/";
    }

    /**
     * Starts the service and returns once it accepts requests.
     *
     * @throws Exception when it cannot start (port taken, database unreachable, bad settings)
     */
    RunningService start(ServiceConfig config) throws Exception;
}
