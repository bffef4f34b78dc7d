package org.cohortflow.dsl.network;

import java.util.List;
import java.util.Optional;

/**
 * A pipeline: sources, constants, nodes and sinks connected by links. Immutable; built with
 * {@link NetworkBuilder} or read from YAML with {@link NetworkYaml}, checked with
 * {@code NetworkValidator} and turned into jobs by {@code Planner}.
 */
public record Network(String id, String description, List<Source> sources, List<Constant> constants,
                      List<Node> nodes, List<Sink> sinks) {

    public Network {
        sources = List.copyOf(sources);
        constants = List.copyOf(constants);
        nodes = List.copyOf(nodes);
        sinks = List.copyOf(sinks);
        description = description == null ? "" : description;
    }

    /** Starts building a network in Java. */
    public static NetworkBuilder builder(String id) {
        return new NetworkBuilder(id);
    }

    public Optional<Source> source(String id) {
        return sources.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Optional<Constant> constant(String id) {
        return constants.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Optional<Node> node(String id) {
        return nodes.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Optional<Sink> sink(String id) {
        return sinks.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
