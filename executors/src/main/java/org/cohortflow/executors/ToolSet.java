package org.cohortflow.executors;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.tool.commandline.CommandLineToolReader;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.dsl.yaml.DefinitionText;

/**
 * The tools of a run in a form that travels to cluster machines: Java tools come from the
 * {@code ToolProvider}s on the class path (the application jar is on every executor), command-line tools
 * travel as the text of their YAML files. {@link #registry()} rebuilds the same {@link ToolRegistry}
 * wherever it is called.
 *
 * @param commandLineTools YAML text per source name (the file it was read from)
 */
public record ToolSet(Map<String, String> commandLineTools) implements Serializable {
    private static final long serialVersionUID = 1L;

    public ToolSet {
        commandLineTools = Map.copyOf(commandLineTools);
    }

    /** Java tools of the class path and the command-line tools in these folders (searched recursively). */
    public static ToolSet load(List<Path> toolDirs) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path dir : toolDirs) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(dir)) {
                files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list tool folder " + dir, e);
            }
            for (Path f : files) {
                // Refuses files over the size limits or not in UTF-8 with their line, as the DSL's readers do.
                texts.put(f.toString(), DefinitionText.read(f));
            }
        }
        return new ToolSet(texts);
    }

    /** Only the Java tools of the class path. */
    public static ToolSet classPathOnly() {
        return new ToolSet(Map.of());
    }

    /** The registry: types and Java tools from the class path plus the command-line tools. */
    public ToolRegistry registry() {
        // On cluster executors the application's classes may sit in a child loader of this class's loader.
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : ToolSet.class.getClassLoader();
        TypeRegistry types = TypeRegistry.load(loader);
        ToolRegistry.Builder b = ToolRegistry.builder(types).addProviders(loader);
        CommandLineToolReader reader = new CommandLineToolReader(types);
        List<ToolDefinition> read = new ArrayList<>();
        commandLineTools.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> read.add(reader.read(e.getValue(), e.getKey())));
        read.forEach(b::add);
        return b.build();
    }
}
