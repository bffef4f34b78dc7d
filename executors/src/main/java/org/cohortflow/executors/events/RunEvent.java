package org.cohortflow.executors.events;

/**
 * One line of {@code events.jsonl}: a run or job state change.
 *
 * @param time   epoch milliseconds when it happened: for a job's {@code running}, when the job began executing
 *               where it runs (not when its task was handed out); lines are in the order the driver learnt of
 *               them, so times may go back a little from one line to the next
 * @param type   {@code run-started}, {@code planned}, {@code task}, {@code job}, {@code sink}, {@code run-finished}
 * @param state  for jobs: {@code running}, {@code succeeded}, {@code cached}, {@code failed}, {@code missing};
 *               for {@code planned} and {@code task}: the number of jobs, as text
 * @param detail error or reason; for {@code task} the nodes of its jobs, comma-separated, in the order they run;
 *               else null
 */
public record RunEvent(long time, String type, String node, String sample, String state, String detail) {

    public static RunEvent job(String node, String sample, String state, String detail) {
        return job(System.currentTimeMillis(), node, sample, state, detail);
    }

    /** A job event that happened at {@code time} (epoch milliseconds), e.g. where the job ran. */
    public static RunEvent job(long time, String node, String sample, String state, String detail) {
        return new RunEvent(time, "job", node, sample, state, detail);
    }
}
