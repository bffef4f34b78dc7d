package org.cohortflow.executors.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.dsl.network.Link;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.Node;
import org.cohortflow.dsl.network.Sink;
import org.cohortflow.dsl.network.Source;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolRegistry;

/**
 * A network as the monitor receives it (JSON): sources, nodes with typed ports and incoming links (with
 * collapse and expand), sinks, and the dimensions each node's jobs range over.
 */
public final class NetworkDescription {
    private NetworkDescription() {}

    /** The description of {@code network}; port types come from {@code tools} (absent when a tool is unknown). */
    public static Map<String, Object> of(Network network, ToolRegistry tools) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", network.id());
        List<Object> sources = new ArrayList<>();
        for (Source s : network.sources()) {
            sources.add(Map.of("id", s.id(), "type", s.type()));
        }
        out.put("sources", sources);
        Map<String, Set<String>> dims = new LinkedHashMap<>();
        network.sources().forEach(s -> dims.put(s.id(), new LinkedHashSet<>(List.of(s.id()))));
        network.constants().forEach(c -> dims.put(c.id(), new LinkedHashSet<>()));
        List<Object> nodes = new ArrayList<>();
        for (Node n : order(network)) {
            Optional<ToolDefinition> tool = tools == null ? Optional.empty() : tools.find(n.tool());
            List<Object> inputs = new ArrayList<>();
            Set<String> nd = new LinkedHashSet<>();
            n.inputs().forEach((port, binding) -> {
                List<Object> links = new ArrayList<>();
                for (Link l : binding.links()) {
                    links.add(link(l));
                    Set<String> from = new LinkedHashSet<>(dims.getOrDefault(l.from().element(), Set.of()));
                    l.collapse().ifPresent(from::remove);
                    if (l.expand()) {
                        from.add(n.id());
                    }
                    nd.addAll(from);
                }
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("id", port);
                p.put("type", tool.flatMap(t -> t.input(port)).map(PortSpec::type).orElse(null));
                p.put("links", links);
                inputs.add(p);
            });
            dims.put(n.id(), nd);
            List<Object> outputs = new ArrayList<>();
            tool.ifPresent(t -> t.outputs().forEach(o -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("id", o.id());
                p.put("type", o.type());
                outputs.add(p);
            }));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            m.put("tool", n.tool().toString());
            m.put("inputs", inputs);
            m.put("outputs", outputs);
            m.put("dimensions", List.copyOf(nd));
            nodes.add(m);
        }
        out.put("nodes", nodes);
        List<Object> sinks = new ArrayList<>();
        for (Sink s : network.sinks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("type", s.type().orElse(null));
            m.put("from", link(s.from()));
            sinks.add(m);
        }
        out.put("sinks", sinks);
        return out;
    }

    private static Map<String, Object> link(Link l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", l.from().toString());
        m.put("collapse", l.collapse().orElse(null));
        m.put("expand", l.expand());
        return m;
    }

    /** Nodes with every node after those feeding it, so dimensions can be derived in one pass. */
    private static List<Node> order(Network network) {
        Map<String, Node> byId = new LinkedHashMap<>();
        network.nodes().forEach(n -> byId.put(n.id(), n));
        List<Node> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (Node n : network.nodes()) {
            visit(n, byId, done, visiting, out);
        }
        return out;
    }

    private static void visit(Node n, Map<String, Node> byId, Set<String> done, Set<String> visiting, List<Node> out) {
        if (done.contains(n.id()) || !visiting.add(n.id())) {
            return;
        }
        n.inputs().values().forEach(b -> b.links().forEach(l -> {
            Node from = byId.get(l.from().element());
            if (from != null) {
                visit(from, byId, done, visiting, out);
            }
        }));
        visiting.remove(n.id());
        done.add(n.id());
        out.add(n);
    }
}
