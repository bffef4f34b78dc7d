package org.cohortflow.cli;

import java.nio.file.Path;
import java.util.List;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the {@code ... validate FILE...} subcommands share: every file is checked on its own, a valid one gets a
 * line {@code FILE: SUMMARY} on standard output, an invalid one its problems ({@code FILE:LINE:COL: message}) on
 * standard error, and the exit code is 0 when all are valid and 1 otherwise.
 */
final class DefinitionFiles {
    private DefinitionFiles() {}

    /** Checks one file and says what it holds (e.g. {@code valid workflow 'qc' (3 states, initial 'new')}). */
    @FunctionalInterface
    interface Check {
        String summary(Path file) throws InvalidDefinitionException;
    }

    /** Checks {@code files} in order with {@code check}; the command's exit code. */
    static int validate(CommandSpec spec, List<Path> files, Check check) {
        boolean ok = true;
        for (Path f : files) {
            try {
                spec.commandLine().getOut().println(f + ": " + check.summary(f));
            } catch (InvalidDefinitionException e) {
                ok = false;
                e.problems().forEach(p -> spec.commandLine().getErr().println(p));
            }
        }
        return ok ? 0 : 1;
    }
}
