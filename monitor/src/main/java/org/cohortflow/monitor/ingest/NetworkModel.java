package org.cohortflow.monitor.ingest;

import java.util.List;
import org.cohortflow.server.http.InvalidFieldException;

/**
 * The network of a run as a reporter describes it: what the run page draws. Sinks are drawn as nodes
 * named {@code sink:ID}, the name their jobs carry in run events.
 *
 * @param id          the network id
 * @param sources     typed sources (each gives a dimension named after it)
 * @param nodes       tool nodes with their ports and incoming links
 * @param sinks       sinks, each fed by one link
 */
public record NetworkModel(String id, List<Source> sources, List<Node> nodes, List<Sink> sinks) {

    public NetworkModel {
        InvalidFieldException.requireText(id, "id");
        sources = sources == null ? List.of() : List.copyOf(sources);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        sinks = sinks == null ? List.of() : List.copyOf(sinks);
    }

    /** A source: its type and the dimension it opens. */
    public record Source(String id, String type) {
        public Source {
            InvalidFieldException.requireText(id, "id");
        }
    }

    /**
     * A tool node.
     *
     * @param dimensions the dimensions its jobs range over (e.g. {@code [patients]}; empty for one job)
     */
    public record Node(String id, String tool, List<Port> inputs, List<Port> outputs, List<String> dimensions) {
        public Node {
            InvalidFieldException.requireText(id, "id");
            inputs = inputs == null ? List.of() : List.copyOf(inputs);
            outputs = outputs == null ? List.of() : List.copyOf(outputs);
            dimensions = dimensions == null ? List.of() : List.copyOf(dimensions);
        }
    }

    /** A port with its data type; an input port lists the links feeding it. */
    public record Port(String id, String type, List<Link> links) {
        public Port {
            InvalidFieldException.requireText(id, "id");
            links = links == null ? List.of() : List.copyOf(links);
        }
    }

    /**
     * A link from a source, constant or node output.
     *
     * @param from     {@code element} or {@code element.port}
     * @param collapse the dimension collapsed into a list, or null
     * @param expand   whether the link expands a list into a new dimension
     */
    public record Link(String from, String collapse, boolean expand) {
        public Link {
            InvalidFieldException.requireText(from, "from");
        }
    }

    /** A sink and the link feeding it. */
    public record Sink(String id, String type, Link from) {
        public Sink {
            InvalidFieldException.requireText(id, "id");
            InvalidFieldException.require(from, "from");
        }
    }
}
