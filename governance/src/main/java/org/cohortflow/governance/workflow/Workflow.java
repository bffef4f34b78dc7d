package org.cohortflow.governance.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.yaml.Location;

/**
 * A checked workflow: states with their callbacks and outgoing transitions, whose conditions are
 * compiled CEL. Only {@link WorkflowParser} makes these, and only when the whole file is valid.
 *
 * @param name        workflow name
 * @param description free text
 * @param initial     the state a new experiment starts in
 * @param variables   declared experiment variables and their types
 * @param states      states by name, in file order
 * @param source      the YAML text it was read from (stored with the workflow)
 */
public record Workflow(String name, String description, String initial, Map<String, VariableType> variables,
                       Map<String, State> states, String source) {

    public Workflow {
        variables = Map.copyOf(variables);
        states = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(states));
    }

    public State state(String stateName) {
        State s = states.get(stateName);
        if (s == null) {
            throw new IllegalArgumentException("workflow '" + name + "' has no state '" + stateName + "'");
        }
        return s;
    }

    /** The transition from {@code from} to {@code to}, if the workflow defines one. */
    public Optional<Transition> transition(String from, String to) {
        return Optional.ofNullable(states.get(from)).flatMap(s -> s.transitions().stream().filter(t -> t.to().equals(to)).findFirst());
    }

    /**
     * One state.
     *
     * @param name        state name
     * @param isFinal     an experiment may rest here for good
     * @param callbacks   callbacks created on entering the state, in order
     * @param transitions outgoing transitions, tried in order once every callback is resolved (those marked
     *                    {@code interrupt} also before)
     * @param location    where it is defined
     */
    public record State(String name, boolean isFinal, List<CallbackSpec> callbacks, List<Transition> transitions,
                        Location location) {
        public State {
            callbacks = List.copyOf(callbacks);
            transitions = List.copyOf(transitions);
        }
    }

    /**
     * A transition; it fires automatically when its condition holds (no condition: always), or manually.
     *
     * @param to        destination state
     * @param condition compiled condition, or {@code null} for "always"
     * @param manual    only a person may take it (never fired automatically)
     * @param interrupt tried also while the state's callbacks are still pending (when a scan arrives or a
     *                  variable changes); firing it skips them. Needs a condition.
     * @param location  where it is defined
     */
    public record Transition(String to, Condition condition, boolean manual, boolean interrupt, Location location) {}

    /**
     * A callback fired on entering a state.
     *
     * @param name         name, unique in its state; conditions see it as {@code callbacks.NAME}
     * @param type         {@code http}, {@code task}, {@code pipeline} or {@code export}
     * @param args         the type's arguments (strings, lists, maps)
     * @param runTimeout   how long one attempt may run
     * @param waitTimeout  how long to wait for an asynchronous answer after the attempt started it
     * @param initialDelay wait this long after entering the state before the first attempt
     * @param retries      attempts after the first one that failed or timed out
     * @param retryDelay   pause between attempts
     * @param condition    run only when this holds on entering the state (else skipped), or {@code null}
     * @param location     where it is defined
     */
    public record CallbackSpec(String name, String type, Map<String, Object> args, Duration runTimeout,
                               Duration waitTimeout, Duration initialDelay, int retries, Duration retryDelay,
                               Condition condition, Location location) {
        public CallbackSpec {
            args = Map.copyOf(args);
        }
    }
}
