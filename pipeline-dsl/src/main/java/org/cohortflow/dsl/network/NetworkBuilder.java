package org.cohortflow.dsl.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.tool.InputPort;
import org.cohortflow.dsl.tool.OutputPort;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolId;
import org.cohortflow.dsl.types.TypeRef;

/**
 * Builds a {@link Network} in Java, in the style of Spark's DataFrame API:
 *
 * <pre>{@code
 * NetworkBuilder net = Network.builder("add-ints");
 * Producer<Long> numbers = net.source("numbers", BuiltinTypes.INT);
 * NodeHandle add = net.node("add", BasicTools.ADD_INT);
 * add.in(BasicTools.LEFT).from(numbers);
 * add.set(BasicTools.RIGHT, 10L);
 * net.sink("sums", add.out(BasicTools.SUM), "file:///tmp/sums/{sample_id}.txt");
 * Network network = net.build();
 * }</pre>
 *
 * Links between typed handles are checked by the compiler; {@code NetworkValidator} checks the rest.
 */
public final class NetworkBuilder {
    private final String id;
    private String description = "";
    private final List<Source> sources = new ArrayList<>();
    private final List<Constant> constants = new ArrayList<>();
    private final Map<String, NodeHandle> nodes = new LinkedHashMap<>();
    private final List<Sink> sinks = new ArrayList<>();

    NetworkBuilder(String id) {
        this.id = id;
    }

    public NetworkBuilder description(String text) {
        this.description = text;
        return this;
    }

    /** A typed source; its samples form a dimension named {@code id}. */
    public <T> Producer<T> source(String id, TypeRef<T> type) {
        sources.add(new Source(id, type.name(), ""));
        return new Producer<>(Link.from(PortRef.of(id)));
    }

    /** A source of a type known only by name. */
    public Producer<Object> source(String id, String typeName) {
        sources.add(new Source(id, typeName, ""));
        return new Producer<>(Link.from(PortRef.of(id)));
    }

    /** A constant broadcast to every sample; several values give it that cardinality. */
    @SafeVarargs
    public final <T> Producer<T> constant(String id, TypeRef<T> type, T... values) {
        constants.add(Constant.broadcast(id, type.name(), Arrays.stream(values).map(String::valueOf).toList()));
        return new Producer<>(Link.from(PortRef.of(id)));
    }

    /** A constant whose samples form a dimension named {@code id}: sample id -> value. */
    public <T> Producer<T> constantSamples(String id, TypeRef<T> type, Map<String, T> samples) {
        Map<String, List<String>> text = new LinkedHashMap<>();
        samples.forEach((k, v) -> text.put(k, List.of(String.valueOf(v))));
        constants.add(new Constant(id, type.name(), text));
        return new Producer<>(Link.from(PortRef.of(id)));
    }

    /** A node running a tool. */
    public NodeHandle node(String id, ToolDefinition tool) {
        return node(id, tool.id());
    }

    /** A node running a tool known by id, e.g. a command-line tool read from YAML. */
    public NodeHandle node(String id, ToolId tool) {
        NodeHandle n = new NodeHandle(id, tool);
        if (nodes.putIfAbsent(id, n) != null) {
            throw new IllegalArgumentException("network '" + this.id + "' already has a node '" + id + "'");
        }
        return n;
    }

    /** A sink storing the producer's data at {@code url} (a template, see {@link Sink}). */
    public <T> NetworkBuilder sink(String id, Producer<T> from, String url) {
        sinks.add(new Sink(id, Optional.empty(), from.link(), url));
        return this;
    }

    public Network build() {
        return new Network(id, description, sources, constants,
                nodes.values().stream().map(NodeHandle::toNode).toList(), sinks);
    }

    /** A node being built. */
    public static final class NodeHandle {
        private final String id;
        private final ToolId tool;
        private final Map<String, List<Link>> links = new LinkedHashMap<>();
        private final Map<String, String> groups = new LinkedHashMap<>();
        private final Map<String, List<String>> parameters = new LinkedHashMap<>();

        private NodeHandle(String id, ToolId tool) {
            this.id = id;
            this.tool = tool;
        }

        public <T> NodeInput<T> in(InputPort<T> port) {
            return new NodeInput<>(port.id());
        }

        /** An input known only by name; its links are checked by the validator, not the compiler. */
        public NodeInput<Object> in(String inputId) {
            return new NodeInput<>(inputId);
        }

        public <T> Producer<T> out(OutputPort<T> port) {
            return new Producer<>(Link.from(PortRef.of(id, port.id())));
        }

        public Producer<Object> out(String outputId) {
            return new Producer<>(Link.from(PortRef.of(id, outputId)));
        }

        /** Gives an input literal value(s) in the network instead of a link. */
        @SafeVarargs
        public final <T> NodeHandle set(InputPort<T> port, T... values) {
            parameters.put(port.id(), Arrays.stream(values).map(String::valueOf).toList());
            return this;
        }

        /** Gives an input known by name literal value(s), as text. */
        public NodeHandle set(String inputId, String... values) {
            parameters.put(inputId, List.of(values));
            return this;
        }

        private Node toNode() {
            Map<String, InputBinding> inputs = new LinkedHashMap<>();
            links.forEach((k, v) -> inputs.put(k, new InputBinding(v, groups.getOrDefault(k, InputBinding.DEFAULT_GROUP))));
            groups.forEach((k, g) -> inputs.putIfAbsent(k, new InputBinding(List.of(), g)));
            return new Node(id, tool, inputs, parameters);
        }

        /** One input of a node being built. */
        public final class NodeInput<T> {
            private final String input;

            private NodeInput(String input) {
                this.input = input;
            }

            /** Links a producer whose values are {@code T} or a subtype; may be called again to append. */
            public NodeInput<T> from(Producer<? extends T> producer) {
                links.computeIfAbsent(input, k -> new ArrayList<>()).add(producer.link());
                return this;
            }

            /** Puts this input in an input group (inputs in different groups form a cross product). */
            public NodeInput<T> group(String group) {
                groups.put(input, group);
                return this;
            }
        }
    }
}
