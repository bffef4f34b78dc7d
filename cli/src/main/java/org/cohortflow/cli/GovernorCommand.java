package org.cohortflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cohortflow.governance.Governor;
import org.cohortflow.governance.workflow.Workflow;
import org.cohortflow.governance.workflow.WorkflowParser;
import org.cohortflow.server.config.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohortflow governor}: the study governor's offline commands. */
@Command(name = "governor", mixinStandardHelpOptions = true,
        header = "Study governor commands (run the service with 'cohortflow serve governor').",
        subcommands = {GovernorCommand.Validate.class})
final class GovernorCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code cohortflow governor validate}: checks workflow files. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            header = "Checks workflow files without running anything.",
            description = {"Checks workflows: unknown keys and states, unreachable states, states with no way out that are not "
                                   + "final, unknown callback types and arguments, and CEL conditions that do not parse or type-check. "
                                   + "Every problem is printed on stderr as FILE:LINE:COL: message."},
            footer = {"", "Example:", "  cohortflow governor validate governance/examples/ct-qc.yaml",
                    "", "Exit codes: 0 all valid, 1 a workflow is invalid."})
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "WORKFLOW.yaml", description = "Workflow files to check.")
        List<Path> files;

        @Override
        public Integer call() {
            WorkflowParser parser = new WorkflowParser(Governor.callbackTypes(ServiceConfig.defaults("governor", 0)));
            return DefinitionFiles.validate(spec, files, f -> {
                Workflow w = parser.parse(f);
                return String.format(Locale.ROOT, "valid workflow '%s' (%d states, initial '%s')", w.name(),
                        w.states().size(), w.initial());
            });
        }
    }
}
