package org.cohortflow.executors.local;

import org.cohortflow.executors.Executor;
import org.cohortflow.executors.ExecutorProvider;
import org.cohortflow.executors.ExecutorSettings;

/** Registers the {@code local} executor (a thread pool in this JVM) with {@link org.cohortflow.executors.ExecutorProviders}. */
public final class LocalExecutorProvider implements ExecutorProvider {

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Executor create(ExecutorSettings settings) {
        return new LocalExecutor(settings.effectiveParallelism(), settings.timeout());
    }
}
