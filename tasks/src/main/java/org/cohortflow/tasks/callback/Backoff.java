package org.cohortflow.tasks.callback;

import java.time.Duration;

/**
 * How long to wait before trying a callback again: doubling from {@code first} up to {@code max}, so an
 * endpoint that is down for an hour is tried a few dozen times, not thousands.
 *
 * @param first wait after the first failed attempt
 * @param max   longest wait between attempts
 */
public record Backoff(Duration first, Duration max) {
    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("need 0 < first <= max");
        }
    }

    /** The wait after {@code failedAttempts} failures (1 = after the first). */
    public Duration after(int failedAttempts) {
        if (failedAttempts < 1) return Duration.ZERO;
        int doublings = Math.min(failedAttempts - 1, 30);
        long millis = first.toMillis() << doublings;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
