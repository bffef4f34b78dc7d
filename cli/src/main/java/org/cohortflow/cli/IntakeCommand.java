package org.cohortflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cohortflow.intake.profile.Profile;
import org.cohortflow.intake.profile.ProfileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow intake}: tools for the intake service's files. */
@Command(name = "intake", mixinStandardHelpOptions = true,
        header = "Intake (receive, de-identify, forward): checks profile files. The service: 'cohortflow serve intake'.",
        subcommands = IntakeCommand.Validate.class)
final class IntakeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code cohortflow intake validate PROFILE.yaml...}. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            header = "Checks de-identification profiles; problems are printed as FILE:LINE:COL: message.",
            footer = {"", "Example:", "  cohortflow intake validate examples/study/intake-profile.yaml",
                    "", "Exit codes: 0 all valid, 1 a profile is invalid, 2 usage error."})
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PROFILE.yaml", description = "Profile files to check.")
        List<Path> files;

        @Override
        public Integer call() {
            return DefinitionFiles.validate(spec, files, f -> {
                Profile p = ProfileReader.read(f);
                return String.format(Locale.ROOT, "valid profile for project '%s' (%d options)", p.project(),
                        p.options().size());
            });
        }
    }
}
