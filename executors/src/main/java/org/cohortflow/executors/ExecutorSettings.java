package org.cohortflow.executors;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.executors.task.Timeouts;

/**
 * What an executor is started with, for every kind of executor ({@link ExecutorProvider}); each takes what
 * applies to it and leaves the rest.
 *
 * @param parallelism how many tasks run at once on the local executor; 0 for one per processor
 * @param master      the cluster to run on (for Spark: {@code local[N]}, {@code spark://host:7077}, {@code yarn},
 *                    {@code k8s://...}); empty for the executor's default (for Spark: the master {@code spark-submit}
 *                    named, else the embedded {@code local[*]})
 * @param taskRetries how often a task that failed for a transient reason (a lost executor) is retried
 * @param conf        engine settings ({@code spark.*}), applied last
 * @param timeout     how long a job of a tool without a timeout of its own may run
 */
public record ExecutorSettings(int parallelism, Optional<String> master, int taskRetries, Map<String, String> conf,
                               Duration timeout) {

    public ExecutorSettings {
        if (parallelism < 0) {
            throw new IllegalArgumentException("parallelism must not be negative, not " + parallelism);
        }
        if (taskRetries < 0) {
            throw new IllegalArgumentException("task retries must not be negative, not " + taskRetries);
        }
        master = master.filter(m -> !m.isBlank());
        conf = Map.copyOf(conf);
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be a positive duration, not " + timeout);
        }
    }

    /** One task per processor, the default master, 3 retries, no further settings, the default timeout. */
    public static ExecutorSettings defaults() {
        return new ExecutorSettings(0, Optional.empty(), 3, Map.of(), Timeouts.DEFAULT);
    }

    /** These settings with {@code parallelism} tasks at once (0: one per processor). */
    public ExecutorSettings withParallelism(int parallelism) {
        return new ExecutorSettings(parallelism, master, taskRetries, conf, timeout);
    }

    /** These settings on {@code master} (null or blank: the default). */
    public ExecutorSettings withMaster(String master) {
        return new ExecutorSettings(parallelism, Optional.ofNullable(master), taskRetries, conf, timeout);
    }

    /** These settings with {@code taskRetries} retries of a transient task failure. */
    public ExecutorSettings withTaskRetries(int taskRetries) {
        return new ExecutorSettings(parallelism, master, taskRetries, conf, timeout);
    }

    /** These settings with {@code conf} as the engine settings. */
    public ExecutorSettings withConf(Map<String, String> conf) {
        return new ExecutorSettings(parallelism, master, taskRetries, conf, timeout);
    }

    /** These settings with {@code timeout} for jobs of tools without a timeout of their own. */
    public ExecutorSettings withTimeout(Duration timeout) {
        return new ExecutorSettings(parallelism, master, taskRetries, conf, timeout);
    }

    /** {@link #parallelism()}, with 0 turned into the number of processors. */
    public int effectiveParallelism() {
        return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    }
}
