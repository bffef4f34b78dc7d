package org.cohortflow.tasks.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules for claiming tasks, apart from storage: one holder at a time, claims lapse after a set time
 * and the holder renews by locking again, and only the holder may save or submit. The store applies the
 * decision with a conditional update so two concurrent claims cannot both win.
 *
 * @param timeToLive how long a lock lasts from when it is taken or renewed
 */
public record LockRules(Duration timeToLive) {
    public LockRules {
        if (timeToLive.isNegative() || timeToLive.isZero()) throw new IllegalArgumentException("lock time must be positive");
    }

    /** Whether {@code user} may lock a task in {@code status} currently locked by {@code current}. */
    public LockDecision acquire(TaskStatus status, Optional<Lock> current, String user, Instant now) {
        if (!status.isOpen()) return new LockDecision.Closed(status);
        if (current.isPresent() && current.get().activeAt(now) && !current.get().holder().equals(user)) {
            return new LockDecision.HeldByOther(current.get());
        }
        return new LockDecision.Granted(new Lock(user, now.plus(timeToLive)));
    }

    /**
     * Why {@code user} may not change the task's draft or result now, or empty when they may: they must
     * hold an unexpired lock on an open task.
     */
    public Optional<String> refusalToWrite(TaskStatus status, Optional<Lock> current, String user, Instant now) {
        if (!status.isOpen()) return Optional.of("the task is " + status.id());
        if (current.isEmpty()) return Optional.of("lock the task first");
        if (!current.get().activeAt(now)) return Optional.of("your lock expired at " + current.get().expiresAt() + "; lock the task again");
        if (!current.get().holder().equals(user)) return Optional.of("the task is locked by " + current.get().holder());
        return Optional.empty();
    }

    /** Whether {@code user} may release {@code current}: its holder, or a manager taking a task back. */
    public boolean mayRelease(Optional<Lock> current, String user, boolean manager) {
        return current.isEmpty() || manager || current.get().holder().equals(user);
    }
}
