package org.cohortflow.monitor.runs;

import java.util.List;

/**
 * What changed in a run by one batch: sent to the run page over server-sent events so that the page
 * applies changes instead of reloading the whole run.
 *
 * @param run   the run's new summary
 * @param nodes every node's counts after the batch
 * @param jobs  the jobs whose state changed, each once with its latest state
 * @param version how many batches the run has had, this one included: a page that loaded a snapshot of
 *                version V ignores deltas up to V
 */
public record RunDelta(long version, RunSummary run, List<NodeCounts> nodes, List<JobState> jobs) {}
