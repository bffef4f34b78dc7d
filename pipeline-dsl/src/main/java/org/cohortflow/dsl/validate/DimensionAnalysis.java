package org.cohortflow.dsl.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.network.Constant;
import org.cohortflow.dsl.network.InputBinding;
import org.cohortflow.dsl.network.Link;
import org.cohortflow.dsl.network.Locator;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.Node;
import org.cohortflow.dsl.network.PortRef;
import org.cohortflow.dsl.network.Sink;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.yaml.Problems;

/**
 * Works out the dimensions of every node from the network alone (no data), following fastr's rules,
 * and reports conflicts:
 * <ul>
 *   <li>a source's samples form a dimension named after it; a constant with samples likewise; a
 *       constant with one value has no dimension and is broadcast;</li>
 *   <li>inputs of a node in the same input group must have the same number of dimensions (they are
 *       matched by sample id); the first linked input of the group names them;</li>
 *   <li>different input groups form a cross product: the node's dimensions are the groups'
 *       dimensions in order, and one dimension may not reach a node through two groups;</li>
 *   <li>{@code collapse: D} on a link removes dimension D; {@code expand} adds a dimension named after
 *       the producing output ({@code node.output}).</li>
 * </ul>
 */
public final class DimensionAnalysis {
    private final Network net;
    private final Map<String, ToolDefinition> tools;
    private final Locator at;
    private final Problems problems;
    private final Map<String, List<String>> nodeDims = new HashMap<>();
    private final Map<String, List<String>> sinkDims = new LinkedHashMap<>();

    public DimensionAnalysis(Network net, Map<String, ToolDefinition> tools, Locator at, Problems problems) {
        this.net = net;
        this.tools = tools;
        this.at = at;
        this.problems = problems;
    }

    /** The name of the dimension an expanding link from {@code ref} creates. */
    public static String expandedDimension(PortRef ref) {
        return ref.port().isPresent() ? ref.toString() : ref.element() + ".values";
    }

    /** Dimensions of every node, in network order; nodes with unknown tools are left out. */
    public Map<String, List<String>> run() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (Node n : topological()) {
            dimsOfNode(n).ifPresent(d -> {
                nodeDims.put(n.id(), d);
                result.put(n.id(), d);
            });
        }
        for (Sink s : net.sinks()) {
            dimsOfLink(s.from(), "sink:" + s.id() + "/from").ifPresent(d -> sinkDims.put(s.id(), d));
        }
        return result;
    }

    /** Dimensions of the data reaching every sink whose link could be analysed, after {@link #run()}. */
    public Map<String, List<String>> sinkDimensions() {
        return java.util.Collections.unmodifiableMap(sinkDims);
    }

    private List<Node> topological() {
        List<Node> order = new ArrayList<>();
        Map<String, Boolean> done = new HashMap<>();
        for (Node n : net.nodes()) {
            visit(n, done, order);
        }
        return order;
    }

    private void visit(Node n, Map<String, Boolean> done, List<Node> order) {
        if (done.containsKey(n.id())) {
            return;
        }
        done.put(n.id(), true);
        n.inputs().values().forEach(b -> b.links().forEach(l -> net.node(l.from().element())
                .ifPresent(d -> visit(d, done, order))));
        order.add(n);
    }

    private Optional<List<String>> dimsOfNode(Node n) {
        ToolDefinition tool = tools.get(n.id());
        if (tool == null) {
            return Optional.empty();
        }
        Map<String, List<String>> groupDims = new LinkedHashMap<>();
        Map<String, String> groupLeader = new HashMap<>();
        for (PortSpec p : tool.inputs()) {
            InputBinding b = n.inputs().get(p.id());
            if (b == null) {
                continue;
            }
            for (int i = 0; i < b.links().size(); i++) {
                String lp = "node:" + n.id() + "/input:" + p.id() + "/link:" + i;
                Optional<List<String>> d = dimsOfLink(b.links().get(i), lp);
                if (d.isEmpty()) {
                    return Optional.empty();
                }
                if (d.get().isEmpty()) {
                    continue; // broadcast
                }
                List<String> existing = groupDims.get(b.group());
                if (existing == null) {
                    groupDims.put(b.group(), d.get());
                    groupLeader.put(b.group(), p.id());
                } else if (existing.size() != d.get().size()) {
                    problems.add(at.locate(lp), "dimension conflict in node '" + n.id() + "': input '" + p.id()
                            + "' has dimensions " + d.get() + " but input '" + groupLeader.get(b.group())
                            + "' in the same input group '" + b.group() + "' has " + existing
                            + "; put one of them in another input group for a cross product, or collapse a dimension");
                    return Optional.empty();
                }
            }
        }
        List<String> dims = new ArrayList<>();
        Map<String, String> dimGroup = new HashMap<>();
        for (var e : groupDims.entrySet()) {
            for (String d : e.getValue()) {
                String other = dimGroup.putIfAbsent(d, e.getKey());
                if (other != null) {
                    problems.add(at.locate("node:" + n.id()), "dimension conflict in node '" + n.id() + "': dimension '"
                            + d + "' reaches it through input groups '" + other + "' and '" + e.getKey()
                            + "'; a cross product of a dimension with itself is not allowed");
                    return Optional.empty();
                }
                dims.add(d);
            }
        }
        return Optional.of(dims);
    }

    private Optional<List<String>> dimsOfLink(Link l, String path) {
        String el = l.from().element();
        List<String> dims;
        if (net.source(el).isPresent()) {
            dims = List.of(el);
        } else if (net.constant(el).isPresent()) {
            Constant c = net.constant(el).get();
            dims = c.isBroadcast() ? List.of() : List.of(el);
        } else if (nodeDims.containsKey(el)) {
            dims = nodeDims.get(el);
        } else {
            return Optional.empty(); // unknown element or tool: reported elsewhere
        }
        List<String> out = new ArrayList<>(dims);
        if (l.collapse().isPresent()) {
            String c = l.collapse().get();
            if (!out.remove(c)) {
                problems.add(at.locate(path), "dimension conflict: cannot collapse dimension '" + c + "' of link from '"
                        + l.from() + "', which has dimensions " + dims);
                return Optional.empty();
            }
        }
        if (l.expand()) {
            out.add(expandedDimension(l.from()));
        }
        return Optional.of(out);
    }
}
