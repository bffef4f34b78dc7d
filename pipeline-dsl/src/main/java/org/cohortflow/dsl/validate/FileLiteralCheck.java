package org.cohortflow.dsl.validate;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cohortflow.dsl.network.Constant;
import org.cohortflow.dsl.network.Locator;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.Node;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.InvalidFileException;
import org.cohortflow.dsl.yaml.Problem;

/**
 * Checks the local files a network's literals of file types name (a constant or a parameter such as
 * {@code settings: settings/ct-2mm.yaml}) the way a job would: the file exists and its type's validator
 * accepts it (for IBSI settings: every key and value). So a broken settings file is an error of
 * {@code validate}, with the position of the literal, not of every sample of a run. A relative path is
 * relative to the network file's folder; files behind other URI schemes (HDFS, S3) are left to the run.
 */
public final class FileLiteralCheck {
    private FileLiteralCheck() {}

    /** The problems of every file literal of {@code network}, a network file in folder {@code base}. */
    public static List<Problem> check(Network network, Locator locator, ToolRegistry tools, Path base) {
        List<Problem> problems = new ArrayList<>();
        for (Constant c : network.constants()) {
            fileType(tools, c.type()).ifPresent(t -> c.samples().values().forEach(texts -> texts.forEach(text ->
                    check(t, text, base, "constant '" + c.id() + "'", locator.locate("constant:" + c.id()), problems))));
        }
        for (Node n : network.nodes()) {
            n.parameters().forEach((port, texts) -> tools.find(n.tool()).flatMap(tool -> tool.input(port))
                    .map(PortSpec::type).flatMap(type -> fileType(tools, type))
                    .ifPresent(t -> texts.forEach(text -> check(t, text, base, "node '" + n.id() + "', parameter '"
                            + port + "'", locator.locate("node:" + n.id() + "/param:" + port), problems))));
        }
        return problems;
    }

    private static void check(FileType type, String text, Path base, String what,
                              org.cohortflow.dsl.yaml.Location where, List<Problem> problems) {
        Path file;
        boolean uri = text.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !text.matches("^[A-Za-z]:[\\\\/].*");
        if (uri) {
            URI u = URI.create(text);
            if (!"file".equals(u.getScheme())) {
                return;
            }
            file = Path.of(u);
        } else {
            file = base.resolve(text).toAbsolutePath().normalize();
        }
        if (!Files.exists(file)) {
            problems.add(new Problem(where, what + ": " + file + " does not exist"));
            return;
        }
        try {
            type.validate(file);
        } catch (InvalidFileException e) {
            problems.add(new Problem(where, what + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            problems.add(new Problem(where, what + ": " + file + ": " + e.getMessage()));
        }
    }

    private static Optional<FileType> fileType(ToolRegistry tools, String type) {
        Optional<DataType> t = tools.types().find(type);
        return t.filter(FileType.class::isInstance).map(FileType.class::cast);
    }
}
