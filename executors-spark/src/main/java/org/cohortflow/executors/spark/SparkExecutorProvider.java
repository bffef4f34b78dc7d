package org.cohortflow.executors.spark;

import org.cohortflow.executors.Executor;
import org.cohortflow.executors.ExecutorProvider;
import org.cohortflow.executors.ExecutorSettings;
import org.cohortflow.executors.Runner;

/**
 * Registers the {@code spark} executor with {@link org.cohortflow.executors.ExecutorProviders}: a Spark session on the
 * settings' master (else the one {@code spark-submit} named, else the embedded {@code local[*]}), with their task
 * retries, Spark settings and default timeout.
 */
public final class SparkExecutorProvider implements ExecutorProvider {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Executor create(ExecutorSettings settings) {
        return SparkExecutor.create(new SparkSettings(Runner.sparkMaster(settings.master(), System.getProperties()),
                settings.taskRetries(), settings.conf()), settings.timeout());
    }
}
