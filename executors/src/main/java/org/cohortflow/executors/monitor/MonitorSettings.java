package org.cohortflow.executors.monitor;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a run reports to and how hard it tries.
 *
 * @param url       the monitor's base URL, e.g. {@code http://127.0.0.1:8084}
 * @param token     an API token of a monitor user with the {@code manager} role (sent as a bearer token)
 * @param capacity  events buffered at most; beyond it events are dropped and counted
 * @param interval  how often a batch is sent at most
 * @param closeWait how long the end of a run waits, at most, for the last events to reach the monitor
 * @param timeout   how long one request may take
 */
public record MonitorSettings(URI url, Optional<String> token, int capacity, Duration interval, Duration closeWait,
                              Duration timeout) {

    public MonitorSettings {
        if (url == null || url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
            throw new IllegalArgumentException("--monitor takes an http:// or https:// URL, not '" + url + "'");
        }
        token = token == null ? Optional.empty() : token;
        if (capacity < 1) {
            throw new IllegalArgumentException("the monitor buffer must hold at least one event");
        }
    }

    /** Defaults: 100,000 events buffered, a batch every 2 s, 5 s to deliver the rest at the end, 10 s per request. */
    public static MonitorSettings of(URI url, Optional<String> token) {
        return new MonitorSettings(url, token, 100_000, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    public MonitorSettings withInterval(Duration d) {
        return new MonitorSettings(url, token, capacity, d, closeWait, timeout);
    }

    public MonitorSettings withCapacity(int c) {
        return new MonitorSettings(url, token, c, interval, closeWait, timeout);
    }

    public MonitorSettings withCloseWait(Duration d) {
        return new MonitorSettings(url, token, capacity, interval, d, timeout);
    }
}
