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

    /** Receives job starts where the tasks run; must be cheap, and safe to call from several threads. */
    @FunctionalInterface
    public interface Listener extends Serializable {
        /** Ignores starts: the job's record still has its start time. */
        Listener NONE = s -> { };

        void started(JobStart start);
    }
}
