package org.cohortflow.executors;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds executors by name among the {@link ExecutorProvider}s on the class path. Looked up on every call (it is
 * cheap next to starting an executor) rather than cached, so that nothing here is static mutable state and a
 * class loader given by the caller is honoured.
 */
public final class ExecutorProviders {
    /** The module that brings each executor this project knows, for the error when it is missing. */
    private static final Map<String, String> MODULES = Map.of("local", "cohortflow-executors",
            "spark", "cohortflow-executors-spark");

    private ExecutorProviders() {}

    /** The provider named {@code name} on the class path of this class's loader, if any. */
    public static Optional<ExecutorProvider> find(String name) {
        return find(name, ExecutorProviders.class.getClassLoader());
    }

    /** The provider named {@code name} on the class path of {@code loader}, if any. */
    public static Optional<ExecutorProvider> find(String name, ClassLoader loader) {
        return ServiceLoader.load(ExecutorProvider.class, loader).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst();
    }

    /** The names of the executors on the class path, sorted. */
    public static List<String> names() {
        return ServiceLoader.load(ExecutorProvider.class, ExecutorProviders.class.getClassLoader()).stream()
                .map(p -> p.get().name()).sorted().distinct().toList();
    }

    /** The provider named {@code name}; see {@link #create(String, ExecutorSettings)} for the error. */
    public static ExecutorProvider get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(missing(name)));
    }

    /**
     * Starts the executor named {@code name}.
     *
     * @throws IllegalArgumentException when no executor of that name is on the class path, naming the module that
     *                                  brings it ({@code executor 'spark' is not on the class path: add
     *                                  cohortflow-executors-spark}) or the executors there are
     */
    public static Executor create(String name, ExecutorSettings settings) {
        return get(name).create(settings);
    }

    private static String missing(String name) {
        String module = MODULES.get(name);
        if (module != null) {
            return "executor '" + name + "' is not on the class path: add " + module;
        }
        return "unknown executor '" + name + "': the executors on the class path are " + String.join(", ", names());
    }
}
