package org.cohortflow.dsl.tool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Fluent builder for a {@link ToolDefinition} implemented in Java. */
public final class JavaToolBuilder {
    private final ToolId id;
    private String description = "";
    private final List<PortSpec> inputs = new ArrayList<>();
    private final List<PortSpec> outputs = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private Optional<Duration> timeout = Optional.empty();

    JavaToolBuilder(ToolId id) {
        this.id = id;
    }

    public JavaToolBuilder description(String text) {
        this.description = text;
        return this;
    }

    /**
     * How long one job of this tool may take; without it the run's default timeout applies. A job past its
     * timeout fails and its thread is interrupted (a body that ignores interrupts keeps its thread busy until
     * it returns, but the job has failed and the run goes on).
     */
    public JavaToolBuilder timeout(Duration limit) {
        this.timeout = Optional.of(limit);
        return this;
    }

    public JavaToolBuilder input(InputPort<?> port) {
        return add(inputs, port.spec(), "input");
    }

    public JavaToolBuilder output(OutputPort<?> port) {
        return add(outputs, port.spec(), "output");
    }

    private JavaToolBuilder add(List<PortSpec> list, PortSpec spec, String what) {
        if (!ids.add(what + ":" + spec.id())) {
            throw new IllegalArgumentException("tool " + id + " declares " + what + " '" + spec.id() + "' twice");
        }
        list.add(spec);
        return this;
    }

    /** Finishes the definition with the tool's body. */
    public ToolDefinition runs(JavaTool body) {
        return new ToolDefinition(id, description, inputs, outputs, new ToolImplementation.Java(body, timeout));
    }
}
