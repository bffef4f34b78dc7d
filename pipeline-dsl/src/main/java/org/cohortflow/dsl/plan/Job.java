package org.cohortflow.dsl.plan;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.dsl.tool.ToolId;

/**
 * One unit of work: a tool applied to the values of one sample.
 *
 * @param inputs   values per input id, in order
 * @param missing  why this job cannot run (a sample absent from a source, or a missing upstream job);
 *                 such a job is reported as missing, never silently dropped
 * @param optional producers reached through a {@code missing: skip} collapse: when one of them fails, its
 *                 values are left out of this job's inputs instead of making the job missing
 * @param leftOut  samples a {@code missing: skip} collapse already left out when the job was planned
 */
public record Job(JobId id, ToolId tool, Map<String, List<ValueRef>> inputs, Optional<String> missing,
                  Set<JobId> optional, List<LeftOut> leftOut) {

    /** A sample left out of a collapsed input, and why. */
    public record LeftOut(String input, String sample, String reason) {}

    public Job {
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        optional = Set.copyOf(optional);
        leftOut = List.copyOf(leftOut);
    }

    public Job(JobId id, ToolId tool, Map<String, List<ValueRef>> inputs, Optional<String> missing) {
        this(id, tool, inputs, missing, Set.of(), List.of());
    }

    /** The jobs whose outputs this job reads. */
    public Set<JobId> dependencies() {
        Set<JobId> d = new LinkedHashSet<>();
        inputs.values().forEach(vs -> vs.forEach(v -> {
            if (v.producer() != null) {
                d.add(v.producer());
            }
        }));
        return d;
    }
}
