package org.cohortflow.executors;

import org.cohortflow.executors.schedule.TaskForming;

/**
 * How a run forms tasks and what it keeps for its cache.
 *
 * @param fusion how jobs are grouped into tasks: by default every job of a sample that needs only that sample's
 *               jobs runs in the sample's one task, with values in memory between its jobs
 * @param keep   which job outputs are stored in the run folder (see {@link Keep})
 * @param rehash hash every file and folder input again; by default an input whose path, size and modification
 *               time are those recorded when it was last hashed in this run folder keeps that hash
 */
public record ExecutionPolicy(TaskForming.Fusion fusion, Keep keep, boolean rehash) {
    /** Fused per-sample tasks, every output kept, inputs hashed again only when they changed. */
    public static final ExecutionPolicy DEFAULT = new ExecutionPolicy(TaskForming.Fusion.SAMPLE, Keep.ALL, false);

    /** Which job outputs a run stores in its run folder. */
    public enum Keep {
        /**
         * Every job's outputs (the default): a resumed run reuses every job whose key still matches, and a changed
         * input reruns exactly its dependants.
         */
        ALL,
        /**
         * Only outputs read outside the task that made them (by another task or a sink). A fused intermediate
         * (a volume passed from one job of a sample's task to the next) stays in memory; its record keeps a hash
         * derived from its job's key, so a resumed run still reuses every job whose key matches, and reruns such a
         * job (in memory, not stored) only when a job after it must run.
         */
        SINKS,
        /**
         * As {@link #SINKS}, and once the run has written every sink (exit code 0) the outputs stored for other
         * tasks go too: the run folder keeps records, logs and events only, and a resumed run runs again every job
         * whose outputs are gone (and what depends on it).
         */
        NONE
    }

    public ExecutionPolicy {
        java.util.Objects.requireNonNull(fusion, "fusion");
        java.util.Objects.requireNonNull(keep, "keep");
    }

    public ExecutionPolicy withFusion(TaskForming.Fusion f) {
        return new ExecutionPolicy(f, keep, rehash);
    }

    public ExecutionPolicy withKeep(Keep k) {
        return new ExecutionPolicy(fusion, k, rehash);
    }

    public ExecutionPolicy withRehash(boolean r) {
        return new ExecutionPolicy(fusion, keep, r);
    }
}
