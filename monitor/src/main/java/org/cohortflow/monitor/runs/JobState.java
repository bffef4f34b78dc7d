package org.cohortflow.monitor.runs;

import java.time.Instant;

/**
 * The last known state of one job (or one sink output, node {@code sink:ID}) of a run.
 *
 * @param state      {@code running}, {@code succeeded}, {@code cached}, {@code failed}, {@code missing},
 *                   or for sink outputs {@code written}
 * @param detail     error or reason, else null
 * @param startedAt  when it was last seen running, or null
 * @param finishedAt when it reached its state, or null while running
 */
public record JobState(String node, String sample, String state, String detail, Instant startedAt, Instant finishedAt) {}
