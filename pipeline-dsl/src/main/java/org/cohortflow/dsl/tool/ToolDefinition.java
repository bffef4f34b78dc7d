package org.cohortflow.dsl.tool;

import java.util.List;
import java.util.Optional;

/**
 * A tool: its identity, typed inputs and outputs, and how it runs. Build Java tools with
 * {@link #java(String)}; command-line tools are read from YAML by {@code CommandLineToolReader}.
 */
public record ToolDefinition(ToolId id, String description, List<PortSpec> inputs, List<PortSpec> outputs,
                             ToolImplementation implementation) {

    public ToolDefinition {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        description = description == null ? "" : description;
    }

    public Optional<PortSpec> input(String id) {
        return inputs.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public Optional<PortSpec> output(String id) {
        return outputs.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Starts a Java tool definition with the given {@code namespace/Name:version}. */
    public static JavaToolBuilder java(String id) {
        return new JavaToolBuilder(ToolId.parse(id));
    }
}
