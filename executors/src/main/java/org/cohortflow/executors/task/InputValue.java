package org.cohortflow.executors.task;

import java.io.Serializable;

/** Where a job finds one value of one input, as shipped to the task that runs it. */
public sealed interface InputValue extends Serializable {

    /** The {@code index}-th value of a source's sample: a URI (file types) or literal text (value types). */
    record FromSource(String source, String sampleId, int index, String type, String text) implements InputValue {}

    /** A literal from the network: constant, parameter or default. */
    record FromLiteral(String type, String text) implements InputValue {}

    /** A value of a job that finished in an earlier task. */
    record FromStored(String node, String sample, String port, int index, StoredValue value) implements InputValue {}

    /**
     * Output(s) of an earlier job of the same task, held in memory: value {@code index}, or all values when
     * {@code index} is -1.
     */
    record FromChain(int job, String port, int index) implements InputValue {}
}
