package org.cohortflow.executors.task;

import java.util.List;

/**
 * A chain of jobs of one sample run back to back in one task, later jobs reading earlier jobs' outputs
 * from memory ({@link InputValue.FromChain}): how per-sample chains of tools are fused so that data stays
 * in memory between steps.
 */
public record TaskSpec(List<JobSpec> jobs) implements Work<TaskResult> {
    private static final long serialVersionUID = 1L;

    public TaskSpec {
        jobs = List.copyOf(jobs);
    }

    @Override
    public TaskResult run(TaskWorker worker) {
        return worker.run(this);
    }
}
