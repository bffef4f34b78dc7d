package org.cohortflow.dsl.network;

import java.util.List;

/**
 * What feeds one node input: its links (their values are concatenated in order) and its input group.
 * Inputs in the same group are matched sample by sample; different groups form a cross product.
 */
public record InputBinding(List<Link> links, String group) {
    public static final String DEFAULT_GROUP = "default";

    public InputBinding {
        links = List.copyOf(links);
    }
}
