package org.cohortflow.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.cohortflow.dsl.BuildVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cohortflow} command. Each sub-command lives in its own class; this one only wires them
 * together and maps errors to exit codes: 0 success, 1 the input is invalid or a job failed, 2 wrong
 * usage.
 */
@Command(name = "cohortflow", mixinStandardHelpOptions = true,
        description = {"Runs typed imaging pipelines (fastr-style networks) over cohorts, in-process or on Apache Spark.",
                "",
                "Start with: cohortflow validate NETWORK.yaml, then cohortflow plan NETWORK.yaml --source ID=VALUES."},
        subcommands = {ValidateCommand.class, ServeCommand.class, GovernorCommand.class, UsersCommand.class, DescribeCommand.class, ToolsCommand.class, PlanCommand.class, RunCommand.class, IndexCommand.class, FeaturesCommand.class, SynthCommand.class, DemoCommand.class,
                TasksCommand.class, MonitorCommand.class, TraceCommand.class, IntakeCommand.class, DeidentifyCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"",
                  "Benchmarks: cohortflow bench cohort|index-hdfs (see cohortflow bench --help).",
                  "",
                  "Exit codes: 0 success, 1 invalid input or failed jobs, 2 usage error. Command-line tools are read "
                          + "from --tools folders and from COHORTFLOW_TOOL_PATH (folders separated by ':')."})
public final class Cohortflow implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a sub-command there is nothing to do: the usage goes to stderr and the exit code is 2 (usage error). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** A command line configured with cohortflow's exit codes, writing to the given streams. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Cohortflow());
        cl.setOut(out);
        cl.setErr(err);
        // Every sub-command answers --version with the build's version (mixinStandardHelpOptions gives each the
        // option; the provider is set here once rather than on every @Command).
        CommandLine.IVersionProvider version = () -> new String[] {"cohortflow " + BuildVersion.version()};
        setVersionProvider(cl, version);
        // picocli wraps descriptions to the terminal's width (80 columns when it cannot tell).
        cl.setUsageHelpAutoWidth(true);
        cl.setExitCodeExceptionMapper(e -> 1);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("cohortflow: " + ex.getMessage());
            printSuggestions(ex);
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for more information.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("cohortflow: " + ex.getMessage());
            return 1;
        });
        return cl;
    }

    /** A mistyped sub-command or option: "Did you mean: cohortflow run?" */
    private static void printSuggestions(CommandLine.ParameterException ex) {
        CommandLine c = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String typed = u.getUnmatched().get(0);
            List<String> names = typed.startsWith("-")
                    ? c.getCommandSpec().options().stream().flatMap(o -> Arrays.stream(o.names())).toList()
                    : List.copyOf(c.getSubcommands().keySet());
            List<String> close = Suggestions.closest(typed.replaceFirst("=.*", ""), names);
            if (!close.isEmpty()) {
                String prefix = typed.startsWith("-") ? "" : c.getCommandSpec().qualifiedName() + " ";
                c.getErr().println("Did you mean: " + String.join(" or ", close.stream().limit(3).map(n -> prefix + n).toList()) + "?");
            }
        }
    }

    private static void setVersionProvider(CommandLine cl, CommandLine.IVersionProvider version) {
        cl.getCommandSpec().versionProvider(version);
        cl.getSubcommands().values().forEach(sub -> setVersionProvider(sub, version));
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
