package org.cohortflow.governance.callback;

import java.util.Map;

/** What one attempt of a callback came to. */
public sealed interface Outcome {

    /**
     * The callback is done.
     *
     * @param success   whether it succeeded
     * @param message   a human-readable summary
     * @param output    result values conditions see as {@code callbacks.NAME.output}
     * @param variables experiment variables to set
     */
    record Finished(boolean success, String message, Map<String, Object> output, Map<String, Object> variables) implements Outcome {
        public Finished {
            output = output == null ? Map.of() : Map.copyOf(output);
            variables = variables == null ? Map.of() : Map.copyOf(variables);
        }
    }

    /** Something was started that will answer on the callback URL. */
    record Waiting(String message) implements Outcome {}
}
