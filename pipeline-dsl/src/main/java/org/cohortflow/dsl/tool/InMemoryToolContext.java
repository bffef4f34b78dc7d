package org.cohortflow.dsl.tool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ToolContext} over values held in memory: how an executor runs a Java tool once it has the
 * input values of a job. Collects outputs and checks them against the tool's output ports.
 */
public final class InMemoryToolContext implements ToolContext {
    private final ToolDefinition tool;
    private final Map<String, List<Object>> inputs;
    private final Map<String, List<Object>> outputs = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final java.util.function.Supplier<Path> workDir;
    private final String sampleId;

    public InMemoryToolContext(ToolDefinition tool, Map<String, List<Object>> inputs, Path workDir, String sampleId) {
        this(tool, inputs, () -> workDir, sampleId);
    }

    /**
     * A context whose working folder is made when the tool first asks for it ({@code workDir} is called at most
     * once per call of {@link #workDir()}; it should hand out the same folder each time): most Java tools never
     * write a file of their own.
     */
    public InMemoryToolContext(ToolDefinition tool, Map<String, List<Object>> inputs,
                               java.util.function.Supplier<Path> workDir, String sampleId) {
        this.tool = tool;
        this.inputs = inputs;
        this.workDir = workDir;
        this.sampleId = sampleId;
        tool.outputs().forEach(o -> outputs.put(o.id(), new ArrayList<>()));
    }

    @Override
    public List<Object> inputs(String inputId) {
        if (tool.input(inputId).isEmpty()) {
            throw new IllegalArgumentException("tool " + tool.id() + " has no input '" + inputId + "'");
        }
        return Collections.unmodifiableList(inputs.getOrDefault(inputId, List.of()));
    }

    @Override
    public void output(String outputId, Object value) {
        List<Object> list = outputs.get(outputId);
        if (list == null) {
            throw new IllegalArgumentException("tool " + tool.id() + " has no output '" + outputId + "'");
        }
        if (value == null) {
            throw new IllegalArgumentException("tool " + tool.id() + " gave output '" + outputId + "' a null value");
        }
        list.add(value);
    }

    @Override
    public Path workDir() {
        return workDir.get();
    }

    @Override
    public String sampleId() {
        return sampleId;
    }

    @Override
    public synchronized void warn(String message) {
        warnings.add(message);
    }

    /** The warnings the tool recorded, in order, for the job's log and provenance. */
    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Runs the tool and returns its outputs, after checking each output's number of values against its
     * cardinality.
     */
    public Map<String, List<Object>> run() throws Exception {
        JavaTool body = ((ToolImplementation.Java) tool.implementation()).body();
        body.run(this);
        for (PortSpec o : tool.outputs()) {
            int n = outputs.get(o.id()).size();
            if (!o.cardinality().accepts(n)) {
                throw new IllegalStateException("tool " + tool.id() + " gave " + n + " value(s) on output '" + o.id()
                        + "', which takes " + o.cardinality());
            }
        }
        Map<String, List<Object>> out = new LinkedHashMap<>();
        outputs.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }
}
