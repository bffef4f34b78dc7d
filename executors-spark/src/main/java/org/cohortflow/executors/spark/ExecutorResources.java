package org.cohortflow.executors.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cohortflow.executors.task.WorkerEnvironment;
import org.cohortflow.executors.task.WorkerResources;

/**
 * The {@link WorkerResources} of each run in a Spark executor JVM. A static registry, on purpose, like
 * {@link ExecutorCorePools}: every partition deserialises its own copy of the task function, so nothing else lives
 * as long as the executor, and building the resources (tool registry, Hadoop configuration) for each partition cost
 * tens of milliseconds each. Only the last few runs are kept: a long-lived executor serves many runs.
 */
final class ExecutorResources {
    private static final int KEPT = 4;
    private static final Map<WorkerEnvironment, WorkerResources> RUNS = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<WorkerEnvironment, WorkerResources> eldest) {
            return size() > KEPT;
        }
    };

    private ExecutorResources() {
    }

    /** The resources of this JVM for the run {@code env} describes. */
    static WorkerResources of(WorkerEnvironment env) {
        synchronized (RUNS) {
            return RUNS.computeIfAbsent(env, WorkerResources::of);
        }
    }
}
