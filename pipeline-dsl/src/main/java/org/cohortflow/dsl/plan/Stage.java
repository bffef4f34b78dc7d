package org.cohortflow.dsl.plan;

import java.util.List;
import java.util.Optional;
import org.cohortflow.dsl.tool.ToolId;

/**
 * All jobs of one node. A stage is {@code deferred} when its jobs depend on how many values an
 * upstream job produces (an expand of a variable-cardinality output): executors plan it again once
 * those jobs have run.
 */
public record Stage(String node, ToolId tool, List<Dimension> dimensions, List<Job> jobs, Optional<String> deferred) {
    public Stage {
        dimensions = List.copyOf(dimensions);
        jobs = List.copyOf(jobs);
    }
}
