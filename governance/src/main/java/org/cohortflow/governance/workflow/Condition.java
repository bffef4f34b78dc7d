package org.cohortflow.governance.workflow;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;

/**
 * A compiled, type-checked CEL condition.
 *
 * @param source  the expression as written
 * @param program the compiled program
 */
public record Condition(String source, CelRuntime.Program program) {

    /**
     * Evaluates the condition over an experiment's facts (see {@link ConditionEnvironment} for the names).
     *
     * @throws ConditionFailure when evaluation fails (a missing variable, a callback without a result, a
     *                          division by zero) or does not yield a boolean
     */
    public boolean test(Map<String, Object> facts) {
        Object r;
        try {
            r = program.eval(facts);
        } catch (CelEvaluationException e) {
            throw new ConditionFailure("condition '" + source + "' failed: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ConditionFailure("condition '" + source + "' failed: " + e);
        }
        if (r instanceof Boolean b) {
            return b;
        }
        throw new ConditionFailure("condition '" + source + "' gave " + r + ", not true or false");
    }

    /** A condition that could not be evaluated for an experiment. */
    public static final class ConditionFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConditionFailure(String message) {
            super(message);
        }
    }
}
