package org.cohortflow.monitor.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.cohortflow.server.http.InvalidFieldException;

/**
 * A batch of run events ({@code POST /api/v1/runs/{key}/batches}). Batches of a run are numbered from 1 by
 * the reporter; a batch whose number the monitor has already stored is acknowledged and not applied again,
 * so a reporter may safely re-send after a timeout.
 *
 * @param seq     the batch's sequence number within the run, from 1
 * @param events  the events, in the order the run emitted them
 * @param dropped how many events the reporter dropped so far (its buffer was full); the largest value wins
 * @param report  the run's {@code report.json}, sent with the last batch, else null
 */
public record EventBatch(long seq, List<Event> events, long dropped, JsonNode report) {

    /** At most this many events in one batch. */
    public static final int MAX_EVENTS = 50_000;

    public EventBatch {
        if (seq < 1) {
            throw new InvalidFieldException("seq", "'seq' must be at least 1, found " + seq);
        }
        events = events == null ? List.of() : List.copyOf(events);
        if (events.size() > MAX_EVENTS) {
            throw new InvalidFieldException("events", "at most " + MAX_EVENTS + " events per batch, found " + events.size());
        }
        if (dropped < 0) {
            throw new InvalidFieldException("dropped", "'dropped' must not be negative");
        }
        if (report != null && !report.isObject()) {
            throw new InvalidFieldException("report", "'report' must be an object (the run's report.json)");
        }
    }

    /**
     * One line of the run's {@code events.jsonl}.
     *
     * @param time  epoch milliseconds
     * @param type  {@code run-started}, {@code planned}, {@code job}, {@code sink}, {@code run-finished}
     */
    public record Event(long time, String type, String node, String sample, String state, String detail) {
        public Event {
            InvalidFieldException.requireText(type, "type");
            if ((type.equals("job") || type.equals("sink")) && (node == null || sample == null || state == null)) {
                throw new InvalidFieldException(node == null ? "node" : sample == null ? "sample" : "state",
                        "a " + type + " event needs node, sample and state");
            }
            if (type.equals("planned") && (node == null || state == null || !state.matches("\\d{1,9}"))) {
                throw new InvalidFieldException("state", "a planned event needs a node and its job count as state");
            }
        }
    }
}
