package org.cohortflow.executors.events;

/**
 * One line of {@code events.jsonl}: a run or job state change.
 *
 * @param time   epoch milliseconds
 * @param type   {@code run-started}, {@code planned}, {@code job}, {@code sink}, {@code run-finished}
 * @param state  for jobs: {@code running}, {@code succeeded}, {@code cached}, {@code failed}, {@code missing};
 *               for {@code planned}: the number of jobs, as text
 * @param detail error or reason, else null
 */
public record RunEvent(long time, String type, String node, String sample, String state, String detail) {

    public static RunEvent job(String node, String sample, String state, String detail) {
        return new RunEvent(System.currentTimeMillis(), "job", node, sample, state, detail);
    }
}
