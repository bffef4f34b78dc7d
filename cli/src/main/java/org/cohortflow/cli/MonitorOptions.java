package org.cohortflow.cli;

import java.net.URI;
import java.util.Optional;
import org.cohortflow.executors.monitor.MonitorSettings;
import picocli.CommandLine.Option;

/** Options naming a cohortflow monitor to report to ({@code run --monitor}, {@code monitor import}). */
final class MonitorOptions {
    /** The environment variable read for the token when {@code --monitor-token} is not given. */
    static final String TOKEN_ENV = "COHORTFLOW_MONITOR_TOKEN";

    @Option(names = "--monitor", paramLabel = "URL",
            description = "Report the run's network and job states to the cohortflow monitor at URL (e.g. "
                    + "http://127.0.0.1:8084). A monitor that is down or slow never slows or fails the run.")
    URI url;

    @Option(names = "--monitor-token", paramLabel = "TOKEN",
            description = "API token of a monitor user with the manager role; default: the environment variable "
                    + TOKEN_ENV + ".")
    String token;

    /** The settings, or empty without {@code --monitor}. */
    Optional<MonitorSettings> settings() {
        if (url == null) {
            return Optional.empty();
        }
        String t = token != null ? token : System.getenv(TOKEN_ENV);
        return Optional.of(MonitorSettings.of(url, Optional.ofNullable(t).filter(s -> !s.isBlank())));
    }
}
