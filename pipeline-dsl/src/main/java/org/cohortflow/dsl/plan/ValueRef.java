package org.cohortflow.dsl.plan;

/**
 * One value a job receives on an input: data from a source, a literal from the network, or (some of)
 * the outputs of another job, which exist only once that job ran.
 */
public sealed interface ValueRef {

    /** The {@code index}-th value of a source's sample, as given in the source data (e.g. a URI). */
    record SourceValue(String source, String sampleId, int index, Object value) implements ValueRef {
        @Override
        public String toString() {
            return source + "[" + sampleId + "]" + (index > 0 ? "#" + index : "");
        }
    }

    /** A literal written in the network (constant, parameter or default), still as text. */
    record Literal(String type, String text) implements ValueRef {
        @Override
        public String toString() {
            return "'" + text + "'";
        }
    }

    /** All values of an output of an earlier job. */
    record JobOutput(JobId job, String output) implements ValueRef {
        @Override
        public String toString() {
            return job + "." + output;
        }
    }

    /** One value (by position) of an output of an earlier job, after an expand. */
    record JobOutputElement(JobId job, String output, int index) implements ValueRef {
        @Override
        public String toString() {
            return job + "." + output + "[" + index + "]";
        }
    }

    /** The job this value waits for, if any. */
    default JobId producer() {
        if (this instanceof JobOutput o) {
            return o.job();
        }
        if (this instanceof JobOutputElement o) {
            return o.job();
        }
        return null;
    }
}
