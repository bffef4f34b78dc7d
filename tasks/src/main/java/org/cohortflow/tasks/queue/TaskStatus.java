package org.cohortflow.tasks.queue;

import java.util.Locale;

/** Where a task is in its life: waiting, being worked on, or finished in one of three ways. */
public enum TaskStatus {
    QUEUED, IN_PROGRESS, DONE, SKIPPED, FAILED;

    /** Whether someone may still work on the task. */
    public boolean isOpen() {
        return this == QUEUED || this == IN_PROGRESS;
    }

    /** The name used in the API and the database ({@code in_progress}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}; {@code IllegalArgumentException} naming the allowed values otherwise. */
    public static TaskStatus of(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status '" + id + "' (queued, in_progress, done, skipped, failed)");
        }
    }
}
