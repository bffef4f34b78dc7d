package org.cohortflow.executors.spark;

import java.util.Map;

/**
 * How to get a Spark session.
 *
 * @param master      a Spark master URL: {@code local[*]} (the default, embedded), {@code local[N]},
 *                    {@code spark://host:7077}, {@code yarn}, {@code k8s://https://host:443}
 * @param taskRetries how often a task that failed for a transient reason (a lost executor, a network
 *                    error) is retried; a tool that fails is not retried, it is reported
 * @param conf        further Spark settings ({@code spark.executor.memory}, ...), applied last
 */
public record SparkSettings(String master, int taskRetries, Map<String, String> conf) {

    public SparkSettings {
        if (master == null || master.isBlank()) {
            master = "local[*]";
        }
        if (taskRetries < 0) {
            throw new IllegalArgumentException("task retries must not be negative");
        }
        conf = Map.copyOf(conf);
    }

    /** The embedded {@code local[*]} master with 3 retries. */
    public static SparkSettings local() {
        return new SparkSettings("local[*]", 3, Map.of());
    }

    /**
     * The master URL to use. Spark's local mode ignores {@code spark.task.maxFailures}; it takes the number
     * of attempts as a second argument, {@code local[N,attempts]}.
     */
    String effectiveMaster() {
        if (master.matches("local\\[[^,\\]]+\\]")) {
            return master.substring(0, master.length() - 1) + "," + (taskRetries + 1) + "]";
        }
        if (master.equals("local")) {
            return "local[1," + (taskRetries + 1) + "]";
        }
        return master;
    }
}
