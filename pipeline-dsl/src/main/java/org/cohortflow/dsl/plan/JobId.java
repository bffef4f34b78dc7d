package org.cohortflow.dsl.plan;

/** A job: one node applied to one sample. Printed as {@code node/sample}. */
public record JobId(String node, SampleKey sample) {
    @Override
    public String toString() {
        return node + "/" + sample;
    }
}
