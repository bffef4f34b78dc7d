package org.cohortflow.dsl.tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cohortflow.dsl.tool.commandline.CommandLineToolReader;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.dsl.yaml.Location;
import org.cohortflow.dsl.yaml.Problem;

/**
 * The tools a network can use, by id: Java tools from {@link ToolProvider}s on the class path and
 * command-line tools read from YAML files. Immutable once built.
 */
public final class ToolRegistry {
    private final Map<String, ToolDefinition> byId;
    private final TypeRegistry types;

    private ToolRegistry(Map<String, ToolDefinition> byId, TypeRegistry types) {
        this.byId = Collections.unmodifiableMap(byId);
        this.types = types;
    }

    /** Starts a registry over the given types. */
    public static Builder builder(TypeRegistry types) {
        return new Builder(types);
    }

    /** Java tools from the class path plus the command-line tools in {@code toolDirs} (searched recursively). */
    public static ToolRegistry load(TypeRegistry types, List<Path> toolDirs) {
        return builder(types).addProviders(ToolRegistry.class.getClassLoader()).addDirectories(toolDirs).build();
    }

    public TypeRegistry types() {
        return types;
    }

    public Optional<ToolDefinition> find(ToolId id) {
        return Optional.ofNullable(byId.get(id.toString()));
    }

    /** The versions registered for {@code namespace/Name}, for "unknown version" messages. */
    public List<String> versionsOf(String unversioned) {
        return byId.values().stream().filter(t -> t.id().unversioned().equals(unversioned))
                .map(t -> t.id().version()).sorted().toList();
    }

    public Collection<ToolDefinition> all() {
        return byId.values();
    }

    /** Collects tools; reports every broken tool file at once. */
    public static final class Builder {
        private final TypeRegistry types;
        private final Map<String, ToolDefinition> byId = new TreeMap<>();
        private final List<Problem> problems = new ArrayList<>();
        /** The file each command-line tool came from, to name both files when an id is defined twice. */
        private final Map<String, Path> toolFiles = new TreeMap<>();

        private Builder(TypeRegistry types) {
            this.types = types;
        }

        public Builder add(ToolDefinition tool) {
            ToolDefinition old = byId.putIfAbsent(tool.id().toString(), tool);
            if (old != null && old != tool) {
                throw new IllegalStateException("tool " + tool.id() + " is defined twice");
            }
            return this;
        }

        public Builder addProviders(ClassLoader loader) {
            for (ToolProvider p : ServiceLoader.load(ToolProvider.class, loader)) {
                p.tools().forEach(this::add);
            }
            return this;
        }

        /**
         * Reads every {@code *.yaml}/{@code *.yml} file below the folders as a command-line tool. A file is read
         * once however often its folder is given (the launcher adds its own tool folder, and users often pass the
         * same one with {@code --tools}); two different files that define one tool id are a problem naming both.
         */
        public Builder addDirectories(List<Path> dirs) {
            CommandLineToolReader reader = new CommandLineToolReader(types);
            Set<Path> seen = new LinkedHashSet<>();
            for (Path dir : dirs) {
                List<Path> files;
                try (Stream<Path> s = Files.walk(dir)) {
                    files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                            .filter(Files::isRegularFile).sorted().toList();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list tool folder " + dir, e);
                }
                for (Path f : files) {
                    if (!seen.add(canonical(f))) {
                        continue;
                    }
                    try {
                        ToolDefinition tool = reader.read(f);
                        Path earlier = toolFiles.putIfAbsent(tool.id().toString(), f);
                        if (earlier != null) {
                            problems.add(new Problem(Location.described(f.toString()), "tool "
                                    + tool.id() + " is defined twice: in " + earlier + " and in " + f));
                            continue;
                        }
                        if (byId.containsKey(tool.id().toString())) {
                            problems.add(new Problem(Location.described(f.toString()), "tool "
                                    + tool.id() + " is defined twice: by a Java tool provider on the class path and in " + f));
                            continue;
                        }
                        add(tool);
                    } catch (InvalidDefinitionException e) {
                        problems.addAll(e.problems());
                    }
                }
            }
            return this;
        }

        private static Path canonical(Path f) {
            try {
                return f.toRealPath();
            } catch (IOException e) {
                return f.toAbsolutePath().normalize();
            }
        }

        public ToolRegistry build() {
            if (!problems.isEmpty()) {
                throw new InvalidDefinitionException(problems);
            }
            return new ToolRegistry(new TreeMap<>(byId), types);
        }
    }
}
