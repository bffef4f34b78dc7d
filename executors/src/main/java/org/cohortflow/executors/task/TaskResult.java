package org.cohortflow.executors.task;

import java.io.Serializable;
import java.util.List;

/** The results of the jobs of one task, in order. */
public record TaskResult(List<JobResult> jobs) implements Serializable {
    private static final long serialVersionUID = 1L;

    public TaskResult {
        jobs = List.copyOf(jobs);
    }
}
