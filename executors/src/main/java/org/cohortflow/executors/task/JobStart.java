package org.cohortflow.executors.task;

import java.io.Serializable;
import java.util.List;

/**
 * A job began executing where its task runs (its inputs are being read, its tool is about to run): sent
 * back to the driver so that the run's {@code running} event carries the true time, not the time the task
 * was handed out.
 *
 * @param node   the job's node
 * @param sample the job's sample ids
 * @param time   epoch milliseconds on the machine that runs the job (the {@code start} of its record)
 */
public record JobStart(String node, List<String> sample, long time) implements Serializable {
    private static final long serialVersionUID = 1L;

    public JobStart {
        sample = List.copyOf(sample);
    }

    /**
     * Receives job starts, and the ends of jobs that succeeded, where the tasks run; must be cheap, and safe to
     * call from several threads.
     */
    @FunctionalInterface
    public interface Listener extends Serializable {
        /** Ignores starts and ends: the job's record still has its times, and its task's result its outcome. */
        Listener NONE = s -> { };

        void started(JobStart start);

        /**
         * A job of a task that still runs succeeded (ran, or reused its record): its record is committed, so the
         * driver may count it done before the task ends; a run killed now reuses it. Told once per job and
         * attempt (a job made again for a value kept in memory only is told again, not cached). Failed and
         * missing jobs are told only by the task's result: a task Spark kills and retries may still succeed.
         * Ignored unless overridden.
         */
        default void ended(JobResult result) { }
    }
}
