package org.cohortflow.dsl.plan;

import java.util.List;

/** A named axis of samples and the sample ids along it, in order. */
public record Dimension(String name, List<String> sampleIds) {
    public Dimension {
        sampleIds = List.copyOf(sampleIds);
    }

    @Override
    public String toString() {
        return name + "(" + sampleIds.size() + ")";
    }
}
