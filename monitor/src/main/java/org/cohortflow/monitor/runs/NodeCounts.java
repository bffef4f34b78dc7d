package org.cohortflow.monitor.runs;

/**
 * Job counts of one node of a run. {@code queued} is what was planned and not yet seen running or done.
 */
public record NodeCounts(String node, int planned, int queued, int running, int done, int cached, int failed, int missing) {

    /** Jobs in a final state. */
    public int finished() {
        return done + cached + failed + missing;
    }
}
