package org.cohortflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.ExpansionSizes;
import org.cohortflow.dsl.plan.JobGraph;
import org.cohortflow.dsl.plan.Planner;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow plan}: the job graph a run would execute, without running it. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        header = "Binds data to a network and prints its job graph.",
        description = {"Validates a network, binds data to its sources and prints the job graph: one job per node and "
                               + "sample, with the values each job reads. Optionally writes the graph as Graphviz DOT."},
        footer = {"", "Examples:",
                "  cohortflow plan examples/networks/cross-product.yaml \\",
                "      --source numbers=1,2 --source factors=f1:10,f2:100",
                "  cohortflow plan examples/networks/count-lines.yaml --tools examples/tools \\",
                "      --source 'texts=docs/*.md' --dot /tmp/plan.dot",
                "", "Exit codes: 0 planned, 1 invalid network or data, 2 usage error."})
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ToolOptions tools = new ToolOptions();

    @Mixin
    SourceOptions sources = new SourceOptions();

    @Parameters(paramLabel = "NETWORK.yaml", description = "The network file.")
    Path file;

    @Option(names = "--dot", paramLabel = "FILE", description = "Also write the job graph in Graphviz DOT to FILE.")
    Path dot;

    @Override
    public Integer call() throws IOException {
        try {
            ToolRegistry registry = tools.registry();
            NetworkYaml.Loaded loaded = NetworkYaml.read(file);
            SourceData data = sources.bind(loaded.network(), registry.types(), java.util.Map.of());
            JobGraph graph = new Planner(registry).plan(loaded.network(), loaded.locator(), data, ExpansionSizes.UNKNOWN);
            spec.commandLine().getOut().print(graph.describe());
            if (dot != null) {
                Files.writeString(dot, graph.toDot());
            }
            return 0;
        } catch (InvalidDefinitionException e) {
            e.problems().forEach(p -> spec.commandLine().getErr().println(p));
            return 1;
        }
    }
}
