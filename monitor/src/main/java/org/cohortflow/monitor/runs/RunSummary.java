package org.cohortflow.monitor.runs;

import java.time.Instant;

/**
 * One run as the list of runs shows it.
 *
 * @param key       the reporter's key of the run (unique)
 * @param name      the run's name (run id)
 * @param reporter  who reported it (user or token owner)
 * @param status    {@code running}, {@code succeeded}, {@code failed}
 * @param planned   jobs planned so far (all nodes)
 * @param finished  jobs in a final state
 * @param failed    failed jobs
 * @param dropped   events the reporter dropped (its buffer was full)
 */
public record RunSummary(String key, String name, String network, String executor, String host, String runDir,
                         String reporter, Instant createdAt, Instant startedAt, Instant finishedAt, String status,
                         int planned, int finished, int failed, long dropped, long events) {}
