package org.cohortflow.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.cohortflow.dsl.network.Constant;
import org.cohortflow.dsl.network.InputBinding;
import org.cohortflow.dsl.network.Link;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.network.Node;
import org.cohortflow.dsl.network.Sink;
import org.cohortflow.dsl.network.Source;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.validate.DimensionAnalysis;
import org.cohortflow.dsl.validate.NetworkValidator;
import org.cohortflow.dsl.yaml.Problem;
import org.cohortflow.dsl.yaml.Problems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow describe}: what a network consists of and the dimensions of its nodes. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        header = "Shows a network's sources, nodes, links, types and sinks.",
        description = {"Shows a network's sources, constants, nodes (tool, ports, types, links), sinks, and the dimensions "
                               + "each node runs over."},
        footer = {"", "Example:", "  cohortflow describe examples/networks/cross-product.yaml"})
final class DescribeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ToolOptions tools = new ToolOptions();

    @Parameters(paramLabel = "NETWORK.yaml", description = "The network file.")
    Path file;

    @Override
    public Integer call() {
        ToolRegistry registry = tools.registry();
        NetworkYaml.Loaded loaded = NetworkYaml.read(file);
        Network n = loaded.network();
        PrintWriter out = spec.commandLine().getOut();
        List<Problem> problems = new NetworkValidator(registry).validate(n, loaded.locator());
        Map<String, List<String>> dims = new DimensionAnalysis(n, n.nodes().stream()
                .filter(x -> registry.find(x.tool()).isPresent())
                .collect(Collectors.toMap(Node::id, x -> registry.find(x.tool()).orElseThrow())),
                loaded.locator(), new Problems()).run();

        out.printf("network %s%s%n", n.id(), n.description().isEmpty() ? "" : ": " + n.description());
        out.println("sources:");
        for (Source s : n.sources()) {
            out.printf("  %-16s %-14s dimension %s%s%n", s.id(), s.type(), s.id(),
                    s.description().isEmpty() ? "" : "  # " + s.description());
        }
        if (!n.constants().isEmpty()) {
            out.println("constants:");
            for (Constant c : n.constants()) {
                out.printf("  %-16s %-14s %s%n", c.id(), c.type(), c.isBroadcast()
                        ? "= " + c.samples().get(Constant.BROADCAST) + " (broadcast)"
                        : c.samples().size() + " samples, dimension " + c.id());
            }
        }
        out.println("nodes:");
        for (Node node : n.nodes()) {
            out.printf("  %s  (%s)  dimensions %s%n", node.id(), node.tool(), dims.getOrDefault(node.id(), List.of()));
            ToolDefinition tool = registry.find(node.tool()).orElse(null);
            if (tool == null) {
                out.println("    (unknown tool)");
                continue;
            }
            for (PortSpec p : tool.inputs()) {
                InputBinding b = node.inputs().get(p.id());
                String bound = b != null && !b.links().isEmpty()
                        ? "<- " + b.links().stream().map(DescribeCommand::link).collect(Collectors.joining(", "))
                        + (b.group().equals(InputBinding.DEFAULT_GROUP) ? "" : "  [group " + b.group() + "]")
                        : node.parameters().containsKey(p.id()) ? "= " + node.parameters().get(p.id())
                        : p.defaultValue().map(d -> "= " + d + " (default)").orElse(p.required() ? "(unbound!)" : "(none)");
                out.printf("    in  %-12s %-12s %-5s %s%n", p.id(), p.type(), p.cardinality(), bound);
            }
            for (PortSpec p : tool.outputs()) {
                out.printf("    out %-12s %-12s %-5s%n", p.id(), p.type(), p.cardinality());
            }
        }
        out.println("sinks:");
        for (Sink s : n.sinks()) {
            out.printf("  %-16s <- %s  %s%n", s.id(), link(s.from()), s.url());
        }
        if (!problems.isEmpty()) {
            out.println("problems:");
            problems.forEach(p -> out.println("  " + p));
            return 1;
        }
        return 0;
    }

    private static String link(Link l) {
        return l.from() + l.collapse().map(c -> " (collapse " + c + ")").orElse("") + (l.expand() ? " (expand)" : "");
    }
}
