package org.cohortflow.dsl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.TypeRegistry;

/** The repository's {@code examples/} folder and a tool registry with its tools, for tests. */
public final class Examples {
    private Examples() {}

    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/networks"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("cannot find the examples/ folder above " + Path.of("").toAbsolutePath());
    }

    public static Path network(String name) {
        return root().resolve("networks").resolve(name);
    }

    /** Built-in types and tools plus the example command-line tools. */
    public static ToolRegistry tools() {
        return ToolRegistry.load(TypeRegistry.load(), List.of(root().resolve("tools")));
    }
}
