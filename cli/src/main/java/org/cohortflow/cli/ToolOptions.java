package org.cohortflow.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.TypeRegistry;
import picocli.CommandLine.Option;

/** Where command-line tool definitions are found; shared by every command that needs tools. */
final class ToolOptions {
    static final String TOOL_PATH_VARIABLE = "COHORTFLOW_TOOL_PATH";

    @Option(names = "--tools", paramLabel = "DIR",
            description = "Folder of command-line tool definitions (*.yaml), searched recursively; repeatable. "
                    + "Folders in $" + TOOL_PATH_VARIABLE + " are searched too.")
    List<Path> toolDirs = new ArrayList<>();

    /** The folders given with --tools, then those of the environment variable that exist. */
    List<Path> folders() {
        List<Path> all = new ArrayList<>(toolDirs);
        String env = System.getenv(TOOL_PATH_VARIABLE);
        if (env != null) {
            for (String p : env.split(File.pathSeparator)) {
                if (!p.isBlank() && Files.isDirectory(Path.of(p))) {
                    all.add(Path.of(p));
                }
            }
        }
        return all;
    }

    /** Java tools from the class path plus the command-line tools of {@link #folders()}. */
    ToolRegistry registry() {
        for (Path d : toolDirs) {
            if (!Files.isDirectory(d)) {
                throw new IllegalArgumentException("tool folder " + d + " does not exist");
            }
        }
        return ToolRegistry.load(TypeRegistry.load(), folders());
    }
}
