package org.cohortflow.executors.task;

import java.io.Serializable;
import java.util.List;

/**
 * One job as shipped to a task: node, sample, tool and where each input value comes from.
 *
 * @param sample  the sample key's ids (empty for a node without dimensions)
 * @param notKept   output ports whose object values stay in memory (only jobs of the same task read them)
 * @param cacheOnly output ports stored only for the run's cache (only jobs of the same task read them): their
 *                  objects are stored in their codec's cheaper form ({@code ValueCodec#forCache})
 */
public record JobSpec(String node, List<String> sample, String tool, List<Input> inputs, List<String> notKept,
                      List<String> cacheOnly) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A job whose outputs are all stored in their codecs' usual form. */
    public JobSpec(String node, List<String> sample, String tool, List<Input> inputs) {
        this(node, sample, tool, inputs, List.of(), List.of());
    }

    /** A job whose kept outputs are stored in their codecs' usual form. */
    public JobSpec(String node, List<String> sample, String tool, List<Input> inputs, List<String> notKept) {
        this(node, sample, tool, inputs, notKept, List.of());
    }

    public JobSpec {
        sample = List.copyOf(sample);
        inputs = List.copyOf(inputs);
        notKept = List.copyOf(notKept);
        cacheOnly = List.copyOf(cacheOnly);
    }

    /** The values of one input port, in order. */
    public record Input(String port, List<InputValue> values) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Input {
            values = List.copyOf(values);
        }
    }

    /** The sample as printed everywhere: ids joined by {@code __}, or {@code all}. */
    public String sampleName() {
        return sample.isEmpty() ? "all" : String.join("__", sample);
    }

    public String label() {
        return node + "/" + sampleName();
    }
}
