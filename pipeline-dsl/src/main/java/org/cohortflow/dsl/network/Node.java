package org.cohortflow.dsl.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.tool.ToolId;

/**
 * One step of a network: a tool, what feeds its inputs, and parameters (literal values for inputs,
 * given in the network rather than linked).
 */
public record Node(String id, ToolId tool, Map<String, InputBinding> inputs, Map<String, List<String>> parameters) {

    public Node {
        inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        LinkedHashMap<String, List<String>> p = new LinkedHashMap<>();
        parameters.forEach((k, v) -> p.put(k, List.copyOf(v)));
        parameters = java.util.Collections.unmodifiableMap(p);
    }

    /** The input group of an input (the default group when it is not bound). */
    public String groupOf(String input) {
        InputBinding b = inputs.get(input);
        return b == null ? InputBinding.DEFAULT_GROUP : b.group();
    }
}
