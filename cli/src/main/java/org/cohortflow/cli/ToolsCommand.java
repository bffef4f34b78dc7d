package org.cohortflow.cli;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.concurrent.Callable;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolImplementation;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow tools}: the tools (and data types) networks can use. */
@Command(name = "tools", mixinStandardHelpOptions = true,
        header = "Lists the registered tools with their typed ports.",
        description = {"Lists the registered tools with their inputs and outputs (type and cardinality):",
                "Java tools found on the class path and command-line tools from --tools folders."},
        footer = {"", "Examples:", "  cohortflow tools --tools examples/tools", "  cohortflow tools --types"})
final class ToolsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ToolOptions tools = new ToolOptions();

    @Option(names = "--types", description = "List the data types instead of the tools.")
    boolean types;

    @Override
    public Integer call() {
        ToolRegistry registry = tools.registry();
        PrintWriter out = spec.commandLine().getOut();
        if (types) {
            for (DataType t : registry.types().all()) {
                out.printf("%-16s %-10s %s%s%n", t.name(), kind(t), t.description(),
                        t.memberOf().isEmpty() ? "" : "  (in " + String.join(", ", t.memberOf()) + ")");
            }
            return 0;
        }
        registry.all().stream().sorted(Comparator.comparing(t -> t.id().toString())).forEach(t -> {
            out.printf("%s  [%s]  %s%n", t.id(), t.implementation() instanceof ToolImplementation.Java ? "java" : "command",
                    t.description());
            t.inputs().forEach(p -> out.println("    in  " + port(p)));
            t.outputs().forEach(p -> out.println("    out " + port(p)));
        });
        return 0;
    }

    private static String kind(DataType t) {
        return switch (t.getClass().getSimpleName()) {
            case "ValueType" -> "value";
            case "FileType" -> "file";
            default -> "group";
        };
    }

    private static String port(PortSpec p) {
        return String.format("%-12s %-12s %-5s%s%s", p.id(), p.type(), p.cardinality(),
                p.defaultValue().map(d -> " default " + d).orElse(p.required() ? "" : " optional"),
                p.description().isEmpty() ? "" : "  " + p.description());
    }
}
