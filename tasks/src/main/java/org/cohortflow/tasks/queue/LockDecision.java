package org.cohortflow.tasks.queue;

/** The answer to "may this user lock this task now?". */
public sealed interface LockDecision {
    /** The lock is taken (or renewed) as {@code lock}. */
    record Granted(Lock lock) implements LockDecision {
    }

    /** Someone else holds an unexpired lock (HTTP 409). */
    record HeldByOther(Lock lock) implements LockDecision {
    }

    /** The task is finished; nothing to lock (HTTP 409). */
    record Closed(TaskStatus status) implements LockDecision {
    }
}
