package org.cohortflow.dsl.plan;

import java.util.OptionalInt;

/**
 * How many values a job's output turned out to have, for planning stages after an expand of a
 * variable-cardinality output. Executors supply it from finished jobs; before anything ran all sizes
 * are unknown.
 */
@FunctionalInterface
public interface ExpansionSizes {
    ExpansionSizes UNKNOWN = (job, output) -> OptionalInt.empty();

    OptionalInt size(JobId job, String output);
}
