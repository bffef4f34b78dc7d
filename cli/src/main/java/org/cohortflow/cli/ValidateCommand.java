package org.cohortflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.validate.NetworkValidator;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.dsl.yaml.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow validate}: checks networks before anything runs. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks networks without running them: unknown tools and versions, type mismatches, cardinality,",
                "missing required inputs, cycles, unbound sources, dangling sinks, dimension conflicts and parameters.",
                "Every problem is printed on stderr as FILE:LINE:COL: message."},
        footer = {"", "Example:", "  cohortflow validate examples/networks/*.yaml",
                "", "Exit codes: 0 all valid, 1 a network is invalid, 2 usage error."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ToolOptions tools = new ToolOptions();

    @Parameters(arity = "1..*", paramLabel = "NETWORK.yaml", description = "Network files to check.")
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
        NetworkValidator validator = new NetworkValidator(registry);
        boolean ok = true;
        for (Path f : files) {
            List<Problem> problems;
            NetworkYaml.Loaded loaded = null;
            try {
                loaded = NetworkYaml.read(f);
                problems = validator.validate(loaded.network(), loaded.locator());
            } catch (InvalidDefinitionException e) {
                problems = e.problems();
            }
            if (problems.isEmpty()) {
                spec.commandLine().getOut().printf("%s: valid (%d sources, %d nodes, %d sinks)%n", f,
                        loaded.network().sources().size(), loaded.network().nodes().size(),
                        loaded.network().sinks().size());
            } else {
                ok = false;
                problems.forEach(p -> spec.commandLine().getErr().println(p));
            }
        }
        return ok ? 0 : 1;
    }
}
