package org.cohortflow.executors;

import java.time.Duration;

/**
 * How a run treats folders and files that others may be using: how long it waits for a run folder or sink
 * folder that another run holds, and whether it may replace sink outputs that another run wrote.
 *
 * @param waitForLock how long to wait for a folder another run holds; zero to give up at once
 * @param overwrite   replace sink outputs written by another run (with other content); without it such a
 *                    target is left alone and reported
 */
public record WritePolicy(Duration waitForLock, boolean overwrite) {
    /** Give up at once on a held folder; never replace another run's outputs. */
    public static final WritePolicy SAFE = new WritePolicy(Duration.ZERO, false);

    public WritePolicy {
        if (waitForLock.isNegative()) {
            throw new IllegalArgumentException("the time to wait for a lock cannot be negative: " + waitForLock);
        }
    }
}
