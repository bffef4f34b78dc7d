package org.cohortflow.dsl.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.cohortflow.dsl.network.Constant;
import org.cohortflow.dsl.network.InputBinding;
import org.cohortflow.dsl.network.Link;
import org.cohortflow.dsl.network.Locator;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.Node;
import org.cohortflow.dsl.network.Sink;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.validate.DimensionAnalysis;
import org.cohortflow.dsl.validate.NetworkValidator;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.dsl.yaml.Problem;
import org.cohortflow.dsl.yaml.Problems;

/**
 * Turns a valid network and the data bound to its sources into a {@link JobGraph}: one job per node and
 * sample, with the dimension rules of {@link DimensionAnalysis} applied to real sample ids. Inputs in one
 * group are matched by sample id (a sample one input lacks makes the job missing, with the reason);
 * groups form a cross product; collapse and expand reshape samples along links.
 */
public final class Planner {
    private final ToolRegistry tools;

    public Planner(ToolRegistry tools) {
        this.tools = tools;
    }

    /** Plans a network built in Java. */
    public JobGraph plan(Network network, SourceData data) {
        return plan(network, Locator.describing(network.id()), data, ExpansionSizes.UNKNOWN);
    }

    /**
     * Plans a network, validating it first. Throws {@link InvalidDefinitionException} listing every
     * problem when the network is invalid or a source has no data.
     */
    public JobGraph plan(Network network, Locator locator, SourceData data, ExpansionSizes sizes) {
        Problems problems = new Problems();
        problems.addAll(new NetworkValidator(tools).validate(network, locator));
        network.sources().forEach(s -> {
            if (data.samples(s.id()).isEmpty()) {
                problems.add(locator.locate("source:" + s.id()), "source '" + s.id() + "' has no data bound to it");
            }
        });
        data.all().keySet().forEach(s -> {
            if (network.source(s).isEmpty()) {
                problems.add(locator.locate("network"), "data given for unknown source '" + s + "' (sources: "
                        + String.join(", ", network.sources().stream().map(x -> x.id()).toList()) + ")");
            }
        });
        problems.throwIfAny();
        return new Run(network, data, sizes).plan();
    }

    /** Samples flowing along a link: dimension names and the values per sample key. */
    private record Shape(List<String> dims, LinkedHashMap<SampleKey, Cell> cells) {}

    /**
     * The values of one sample, or why there are none. A cell made by a {@code missing: skip} collapse also
     * knows which samples it left out and which of its values may still drop out when their job fails.
     */
    private record Cell(List<ValueRef> values, String missing, List<Gone> leftOut, boolean optional) {
        static Cell of(List<ValueRef> values) {
            return new Cell(List.copyOf(values), null, List.of(), false);
        }

        static Cell missing(String why) {
            return new Cell(List.of(), why, List.of(), false);
        }
    }

    /** A sample a {@code missing: skip} collapse left out, and why. */
    private record Gone(String sample, String reason) {}

    /** Signals that a shape depends on output sizes not known yet. */
    private static final class Deferred extends Exception {
        private static final long serialVersionUID = 1L;

        Deferred(String why) {
            super(why, null, false, false);
        }
    }

    private final class Run {
        private final Network net;
        private final SourceData data;
        private final ExpansionSizes sizes;
        private final Map<String, Stage> stages = new LinkedHashMap<>();
        private final Map<String, List<String>> nodeDims = new HashMap<>();
        private final Map<String, LinkedHashMap<SampleKey, Job>> nodeJobs = new HashMap<>();

        Run(Network net, SourceData data, ExpansionSizes sizes) {
            this.net = net;
            this.data = data;
            this.sizes = sizes;
        }

        JobGraph plan() {
            for (Node n : topological()) {
                stages.put(n.id(), planNode(n));
            }
            List<SinkPlan> sinks = new ArrayList<>();
            for (Sink s : net.sinks()) {
                try {
                    Shape shape = linkShape(s.from());
                    List<SinkPlan.Item> items = new ArrayList<>();
                    shape.cells().forEach((k, c) -> items.add(new SinkPlan.Item(k, c.values(),
                            Optional.ofNullable(c.missing()))));
                    sinks.add(new SinkPlan(s.id(), s.url(), items, Optional.empty()));
                } catch (Deferred d) {
                    sinks.add(new SinkPlan(s.id(), s.url(), List.of(), Optional.of(d.getMessage())));
                }
            }
            return new JobGraph(net.id(), List.copyOf(stages.values()), sinks);
        }

        private List<Node> topological() {
            List<Node> order = new ArrayList<>();
            LinkedHashSet<String> done = new LinkedHashSet<>();
            for (Node n : net.nodes()) {
                visit(n, done, order);
            }
            return order;
        }

        private void visit(Node n, LinkedHashSet<String> done, List<Node> order) {
            if (!done.add(n.id())) {
                return;
            }
            n.inputs().values().forEach(b -> b.links().forEach(l -> net.node(l.from().element())
                    .ifPresent(d -> visit(d, done, order))));
            order.add(n);
        }

        private Stage planNode(Node n) {
            ToolDefinition tool = tools.find(n.tool()).orElseThrow();
            // Shapes of every link, and the key space of every input group.
            Map<String, List<Shape>> shapes = new LinkedHashMap<>();
            Map<String, List<String>> groupDims = new LinkedHashMap<>();
            Map<String, LinkedHashSet<SampleKey>> groupKeys = new LinkedHashMap<>();
            try {
                for (PortSpec p : tool.inputs()) {
                    InputBinding b = n.inputs().get(p.id());
                    if (b == null) {
                        continue;
                    }
                    List<Shape> ls = new ArrayList<>();
                    for (Link l : b.links()) {
                        Shape s = linkShape(l);
                        ls.add(s);
                        if (!s.dims().isEmpty()) {
                            groupDims.putIfAbsent(b.group(), s.dims());
                            groupKeys.computeIfAbsent(b.group(), g -> new LinkedHashSet<>()).addAll(s.cells().keySet());
                        }
                    }
                    shapes.put(p.id(), ls);
                }
            } catch (Deferred d) {
                nodeDims.put(n.id(), null);
                return new Stage(n.id(), n.tool(), List.of(), List.of(), Optional.of(d.getMessage()));
            }
            List<String> dims = new ArrayList<>();
            groupDims.values().forEach(dims::addAll);
            List<String> groups = new ArrayList<>(groupDims.keySet());
            List<SampleKey> keys = cross(groups, groupKeys);

            LinkedHashMap<SampleKey, Job> jobs = new LinkedHashMap<>();
            for (SampleKey key : keys) {
                Map<String, SampleKey> part = split(key, groups, groupDims);
                Map<String, List<ValueRef>> inputs = new LinkedHashMap<>();
                List<String> missing = new ArrayList<>();
                java.util.Set<JobId> optional = new java.util.LinkedHashSet<>();
                List<Job.LeftOut> leftOut = new ArrayList<>();
                for (PortSpec p : tool.inputs()) {
                    List<ValueRef> values = new ArrayList<>();
                    if (shapes.containsKey(p.id())) {
                        InputBinding b = n.inputs().get(p.id());
                        List<Link> links = b.links();
                        for (int i = 0; i < links.size(); i++) {
                            Shape s = shapes.get(p.id()).get(i);
                            SampleKey k = s.dims().isEmpty() ? SampleKey.NONE : part.get(b.group());
                            Cell c = s.cells().get(k);
                            if (c == null) {
                                missing.add("input '" + p.id() + "' has no sample '" + k + "' from " + links.get(i).from());
                            } else if (c.missing() != null) {
                                missing.add("input '" + p.id() + "': " + c.missing());
                            } else {
                                values.addAll(c.values());
                                if (c.optional()) {
                                    c.values().forEach(v -> {
                                        if (v.producer() != null) {
                                            optional.add(v.producer());
                                        }
                                    });
                                }
                                c.leftOut().forEach(g -> leftOut.add(new Job.LeftOut(p.id(), g.sample(), g.reason())));
                            }
                        }
                    }
                    if (n.parameters().containsKey(p.id())) {
                        n.parameters().get(p.id()).forEach(v -> values.add(new ValueRef.Literal(p.type(), v)));
                    } else if (!shapes.containsKey(p.id()) && p.defaultValue().isPresent()) {
                        values.add(new ValueRef.Literal(p.type(), p.defaultValue().get()));
                    }
                    if (!values.isEmpty() || shapes.containsKey(p.id())) {
                        inputs.put(p.id(), values);
                    }
                }
                JobId id = new JobId(n.id(), key);
                jobs.put(key, new Job(id, n.tool(), inputs,
                        missing.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", missing)), optional, leftOut));
            }
            nodeDims.put(n.id(), dims);
            nodeJobs.put(n.id(), jobs);
            return new Stage(n.id(), n.tool(), dimensions(dims, jobs.keySet()), List.copyOf(jobs.values()), Optional.empty());
        }

        private List<SampleKey> cross(List<String> groups, Map<String, LinkedHashSet<SampleKey>> groupKeys) {
            List<SampleKey> keys = List.of(SampleKey.NONE);
            for (String g : groups) {
                List<SampleKey> next = new ArrayList<>();
                for (SampleKey k : keys) {
                    for (SampleKey gk : groupKeys.get(g)) {
                        next.add(k.concat(gk));
                    }
                }
                keys = next;
            }
            return keys;
        }

        private Map<String, SampleKey> split(SampleKey key, List<String> groups, Map<String, List<String>> groupDims) {
            Map<String, SampleKey> part = new HashMap<>();
            int at = 0;
            for (String g : groups) {
                int n = groupDims.get(g).size();
                part.put(g, new SampleKey(key.ids().subList(at, at + n)));
                at += n;
            }
            return part;
        }

        private List<Dimension> dimensions(List<String> dims, Iterable<SampleKey> keys) {
            List<LinkedHashSet<String>> ids = new ArrayList<>();
            dims.forEach(d -> ids.add(new LinkedHashSet<>()));
            for (SampleKey k : keys) {
                for (int i = 0; i < dims.size(); i++) {
                    ids.get(i).add(k.ids().get(i));
                }
            }
            List<Dimension> out = new ArrayList<>();
            for (int i = 0; i < dims.size(); i++) {
                out.add(new Dimension(dims.get(i), List.copyOf(ids.get(i))));
            }
            return out;
        }

        private Shape linkShape(Link l) throws Deferred {
            Shape base = producerShape(l);
            if (l.collapse().isPresent()) {
                base = collapse(base, l.collapse().get(), l.missing() == Link.Missing.SKIP);
            }
            if (l.expand()) {
                base = expand(base, l);
            }
            return base;
        }

        private Shape producerShape(Link l) throws Deferred {
            String el = l.from().element();
            LinkedHashMap<SampleKey, Cell> cells = new LinkedHashMap<>();
            if (net.source(el).isPresent()) {
                data.samples(el).orElseThrow().forEach((id, vs) -> {
                    List<ValueRef> refs = new ArrayList<>();
                    for (int i = 0; i < vs.size(); i++) {
                        refs.add(new ValueRef.SourceValue(el, id, i, vs.get(i)));
                    }
                    cells.put(SampleKey.of(id), Cell.of(refs));
                });
                return new Shape(List.of(el), cells);
            }
            Optional<Constant> c = net.constant(el);
            if (c.isPresent()) {
                c.get().samples().forEach((id, vs) -> cells.put(c.get().isBroadcast() ? SampleKey.NONE : SampleKey.of(id),
                        Cell.of(vs.stream().map(v -> (ValueRef) new ValueRef.Literal(c.get().type(), v)).toList())));
                return new Shape(c.get().isBroadcast() ? List.of() : List.of(el), cells);
            }
            List<String> dims = nodeDims.get(el);
            if (dims == null) {
                throw new Deferred(stages.get(el).deferred().orElse("node '" + el + "' is deferred"));
            }
            String out = l.from().port().orElseThrow();
            nodeJobs.get(el).forEach((k, job) -> cells.put(k, job.missing().isPresent()
                    ? Cell.missing("job " + job.id() + " is missing (" + job.missing().get() + ")")
                    : Cell.of(List.of(new ValueRef.JobOutput(job.id(), out)))));
            return new Shape(dims, cells);
        }

        private Shape collapse(Shape s, String dim, boolean skip) {
            int at = s.dims().indexOf(dim);
            List<String> dims = new ArrayList<>(s.dims());
            dims.remove(at);
            LinkedHashMap<SampleKey, List<ValueRef>> values = new LinkedHashMap<>();
            Map<SampleKey, List<Gone>> missing = new HashMap<>();
            s.cells().forEach((k, c) -> {
                SampleKey rest = k.without(at);
                values.computeIfAbsent(rest, x -> new ArrayList<>()).addAll(c.values());
                if (c.missing() != null) {
                    missing.computeIfAbsent(rest, x -> new ArrayList<>()).add(new Gone(k.ids().get(at), c.missing()));
                }
            });
            LinkedHashMap<SampleKey, Cell> cells = new LinkedHashMap<>();
            values.forEach((k, v) -> {
                List<Gone> gone = missing.getOrDefault(k, List.of());
                if (gone.isEmpty()) {
                    cells.put(k, skip ? new Cell(List.copyOf(v), null, List.of(), true) : Cell.of(v));
                } else if (!skip) {
                    cells.put(k, Cell.missing("collapsing '" + dim + "' needs all its samples, but "
                            + gone.stream().map(Gone::sample).toList() + " are missing"));
                } else if (v.isEmpty()) {
                    cells.put(k, Cell.missing("collapsing '" + dim + "' (missing: skip) found no sample: all of "
                            + gone.stream().map(Gone::sample).toList() + " are missing"));
                } else {
                    cells.put(k, new Cell(List.copyOf(v), null, List.copyOf(gone), true));
                }
            });
            return new Shape(dims, cells);
        }

        private Shape expand(Shape s, Link l) throws Deferred {
            List<String> dims = new ArrayList<>(s.dims());
            dims.add(DimensionAnalysis.expandedDimension(l.from()));
            LinkedHashMap<SampleKey, Cell> cells = new LinkedHashMap<>();
            for (var e : s.cells().entrySet()) {
                Cell c = e.getValue();
                if (c.missing() != null) {
                    // The number of elements of a missing sample is unknown: it stays one missing sample.
                    cells.put(e.getKey().plus("?"), c);
                    continue;
                }
                List<ValueRef> elements = new ArrayList<>();
                for (ValueRef v : c.values()) {
                    if (v instanceof ValueRef.JobOutput o) {
                        int n = outputSize(o);
                        for (int i = 0; i < n; i++) {
                            elements.add(new ValueRef.JobOutputElement(o.job(), o.output(), i));
                        }
                    } else {
                        elements.add(v);
                    }
                }
                for (int i = 0; i < elements.size(); i++) {
                    cells.put(e.getKey().plus(Integer.toString(i)), Cell.of(List.of(elements.get(i))));
                }
            }
            return new Shape(dims, cells);
        }

        private int outputSize(ValueRef.JobOutput o) throws Deferred {
            ToolDefinition producer = tools.find(net.node(o.job().node()).orElseThrow().tool()).orElseThrow();
            PortSpec port = producer.output(o.output()).orElseThrow();
            if (port.cardinality().isFixed()) {
                return port.cardinality().min();
            }
            OptionalInt n = sizes.size(o.job(), o.output());
            if (n.isEmpty()) {
                throw new Deferred("waits for the number of values of " + o + " (cardinality "
                        + port.cardinality() + ") to expand it");
            }
            return n.getAsInt();
        }
    }

    /** Convenience for callers that only want the problems of planning, not an exception. */
    public List<Problem> problems(Network network, Locator locator, SourceData data) {
        try {
            plan(network, locator, data, ExpansionSizes.UNKNOWN);
            return List.of();
        } catch (InvalidDefinitionException e) {
            return e.problems();
        }
    }
}
