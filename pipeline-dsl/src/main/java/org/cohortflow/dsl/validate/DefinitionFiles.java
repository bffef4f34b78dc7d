package org.cohortflow.dsl.validate;

import java.nio.file.Path;
import java.util.List;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.tool.commandline.CommandLineToolReader;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.dsl.yaml.Problem;
import org.cohortflow.dsl.yaml.YamlNode;
import org.cohortflow.dsl.yaml.YamlReader;

/**
 * Checks a YAML file that is either a network (it has a top-level {@code network} key) or a
 * command-line tool definition (it has {@code id}, {@code command} or {@code outputs} instead), so one
 * command validates both. For a network, the local files its file literals name (e.g. IBSI settings) are
 * checked too ({@link FileLiteralCheck}).
 */
public final class DefinitionFiles {
    private DefinitionFiles() {}

    /** What a checked file turned out to be. */
    public enum Kind { NETWORK, TOOL, UNREADABLE }

    /** The outcome of checking one file. */
    public record Result(Path file, Kind kind, List<Problem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    public static Result check(Path file, ToolRegistry tools) {
        YamlNode root;
        try {
            root = YamlReader.read(file);
        } catch (InvalidDefinitionException e) {
            return new Result(file, Kind.UNREADABLE, e.problems());
        }
        boolean network = !(root instanceof YamlNode.Mapping m) || m.has("network")
                || !(m.has("id") || m.has("command") || m.has("outputs"));
        try {
            if (network) {
                NetworkYaml.Loaded l = NetworkYaml.read(file);
                List<Problem> problems = new java.util.ArrayList<>(new NetworkValidator(tools).validate(l.network(), l.locator()));
                problems.addAll(FileLiteralCheck.check(l.network(), l.locator(), tools, file.toAbsolutePath().getParent()));
                return new Result(file, Kind.NETWORK, problems);
            }
            new CommandLineToolReader(tools.types()).read(file);
            return new Result(file, Kind.TOOL, List.of());
        } catch (InvalidDefinitionException e) {
            return new Result(file, network ? Kind.NETWORK : Kind.TOOL, e.problems());
        }
    }
}
