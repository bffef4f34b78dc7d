package org.cohortflow.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cohortflow} command. Each sub-command lives in its own class; this one only wires them
 * together and maps errors to exit codes: 0 success, 1 the input is invalid or a job failed, 2 wrong
 * usage.
 */
@Command(name = "cohortflow", mixinStandardHelpOptions = true, version = "cohortflow 0.1.0",
        description = {"Runs typed imaging pipelines (fastr-style networks) over cohorts, in-process or on Apache Spark.",
                "",
                "Start with: cohortflow validate NETWORK.yaml, then cohortflow plan NETWORK.yaml --source ID=VALUES."},
        subcommands = {ValidateCommand.class, ServeCommand.class, GovernorCommand.class, UsersCommand.class, DescribeCommand.class, ToolsCommand.class, PlanCommand.class, RunCommand.class, IndexCommand.class, FeaturesCommand.class, SynthCommand.class, DemoCommand.class,
                TasksCommand.class, MonitorCommand.class, TraceCommand.class, IntakeCommand.class, DeidentifyCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Benchmarks: cohortflow bench cohort|index-hdfs (see cohortflow bench --help).",
                "", "Exit codes: 0 success, 1 invalid input or failed jobs, 2 usage error.",
                "Command-line tools are read from --tools folders and from COHORTFLOW_TOOL_PATH (folders separated by ':')."})
public final class Cohortflow implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line configured with cohortflow's exit codes, writing to the given streams. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Cohortflow());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> 1);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("cohortflow: " + ex.getMessage());
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

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
