package org.cohortflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.validate.DefinitionFiles;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow validate}: checks networks before anything runs. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        header = "Checks networks and tool files without running anything.",
        description = {"Checks networks and command-line tool files without running anything: unknown tools and versions, "
                               + "type mismatches, cardinality, missing required inputs, cycles, unbound sources, dangling sinks, "
                               + "dimension conflicts, parameters; for tools: keys, types, cardinalities, arguments, collectors. "
                               + "Every problem is printed on stderr as FILE:LINE:COL: message."},
        footer = {"", "Example:", "  cohortflow validate examples/networks/*.yaml examples/tools/*.yaml",
                "", "Exit codes: 0 all valid, 1 a network is invalid, 2 usage error."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ToolOptions tools = new ToolOptions();

    @Parameters(arity = "1..*", paramLabel = "FILE.yaml", description = "Network or tool files to check.")
    List<Path> files;

    @Override
    public Integer call() {
        ToolRegistry registry;
        try {
            registry = tools.registry();
        } catch (InvalidDefinitionException e) {
            e.problems().forEach(p -> spec.commandLine().getErr().println(p));
            return 1;
        }
        boolean ok = true;
        for (Path f : files) {
            DefinitionFiles.Result r = DefinitionFiles.check(f, registry);
            if (r.valid()) {
                spec.commandLine().getOut().printf("%s: valid %s%n", f, r.kind() == DefinitionFiles.Kind.TOOL ? "tool" : "network");
            } else {
                ok = false;
                r.problems().forEach(p -> spec.commandLine().getErr().println(p));
            }
        }
        return ok ? 0 : 1;
    }
}
