package org.cohortflow.executors.task;

import java.io.Serializable;

/**
 * A unit of work an executor ships to wherever tasks run (a thread of this JVM or a Spark executor):
 * small, serialisable, and idempotent, so that a retried task gives the same result.
 *
 * @param <R> the small, serialisable result returned to the driver
 */
public interface Work<R extends Serializable> extends Serializable {
    R run(TaskWorker worker);
}
