package org.cohortflow.governance.model;

import java.time.Instant;

/**
 * One callback of one state entry of an experiment, and how far it got.
 *
 * @param id            database id
 * @param experimentId  the experiment
 * @param entryActionId the action that entered the state this callback belongs to
 * @param name          callback name from the workflow
 * @param type          callback type
 * @param status        created, queued, running, waiting, finished or skipped
 * @param result        success, failed or timeout once finished; {@code null} before
 * @param attempts      attempts started
 * @param maxAttempts   attempts allowed (retries + 1)
 * @param message       last message (error, reason for skipping, what it waits for)
 * @param output        output JSON, or {@code null}
 * @param dueAt         when the engine looks at it next, or {@code null}
 * @param created       when
 * @param started       when the last attempt started
 * @param finished      when it finished
 */
public record CallbackExecution(long id, long experimentId, long entryActionId, String name, String type, String status,
                                String result, int attempts, int maxAttempts, String message, String output,
                                Instant dueAt, Instant created, Instant started, Instant finished) {

    /** True once nothing more will happen to it. */
    public boolean resolved() {
        return status.equals("finished") || status.equals("skipped");
    }
}
