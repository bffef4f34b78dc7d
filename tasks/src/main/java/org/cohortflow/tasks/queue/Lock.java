package org.cohortflow.tasks.queue;

import java.time.Instant;

/**
 * A reviewer's claim on a task until a moment; after that moment anyone may take the task.
 *
 * @param holder    user name
 * @param expiresAt when the claim lapses unless renewed
 */
public record Lock(String holder, Instant expiresAt) {
    /** Whether the lock still holds at {@code now}. */
    public boolean activeAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** Whether {@code user} holds this lock at {@code now}. */
    public boolean heldBy(String user, Instant now) {
        return activeAt(now) && holder.equals(user);
    }
}
