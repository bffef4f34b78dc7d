package org.cohortflow.executors.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cohortflow.executors.task.CorePool;

/**
 * The {@link CorePool} of each Spark executor JVM. A static registry, on purpose: the cores belong to
 * the JVM, and the concurrent tasks Spark runs there share nothing else (each deserialises its own
 * copy of the task function). Keyed by size so that sessions of different sizes in one JVM (tests,
 * local mode after a cluster run) do not share a pool of the wrong size.
 */
final class ExecutorCorePools {
    private static final Map<Integer, CorePool> POOLS = new ConcurrentHashMap<>();

    private ExecutorCorePools() {
    }

    /** The pool of this JVM for {@code cores} cores; 0 or less means the JVM's available processors. */
    static CorePool forCores(int cores) {
        int n = cores > 0 ? cores : Runtime.getRuntime().availableProcessors();
        return POOLS.computeIfAbsent(n, CorePool::new);
    }
}
