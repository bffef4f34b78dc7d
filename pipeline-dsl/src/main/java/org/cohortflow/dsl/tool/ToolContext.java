package org.cohortflow.dsl.tool;

import java.nio.file.Path;
import java.util.List;

/** What a running {@link JavaTool} sees: its input values, where to put outputs, where it may write. */
public interface ToolContext {

    /** The single value of an input, or {@code null} when an optional input has none. */
    default <T> T input(InputPort<T> port) {
        List<T> all = inputs(port);
        if (all.size() > 1) {
            throw new IllegalStateException("input '" + port.id() + "' has " + all.size() + " values; use inputs()");
        }
        return all.isEmpty() ? null : all.get(0);
    }

    /** All values of an input, in link order (a collapsed dimension gives them in sample order). */
    default <T> List<T> inputs(InputPort<T> port) {
        List<Object> raw = inputs(port.id());
        for (Object o : raw) {
            if (!port.type().javaType().isInstance(o)) {
                throw new IllegalStateException("input '" + port.id() + "' holds a " + o.getClass().getName()
                        + ", not " + port.type().javaType().getName());
            }
        }
        @SuppressWarnings("unchecked")
        List<T> typed = (List<T>) raw;
        return typed;
    }

    /** All values of an input by id. */
    List<Object> inputs(String inputId);

    /** Adds a value to an output (call several times for an output of cardinality above one). */
    default <T> void output(OutputPort<T> port, T value) {
        output(port.id(), value);
    }

    void output(String outputId, Object value);

    /** A folder private to this job where the tool may write files. */
    Path workDir();

    /** The sample this job runs for, for messages and file names. */
    String sampleId();

    /**
     * Records a warning: an input the tool accepted although it is not as it should be (say, an RTSTRUCT
     * whose ROI names a stale frame of reference). The job still succeeds; the warning is for its log and
     * provenance.
     */
    void warn(String message);
}
