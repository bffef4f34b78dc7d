package org.cohortflow.executors;

/**
 * A kind of executor, found by name with {@link java.util.ServiceLoader} ({@link ExecutorProviders}): this module
 * registers {@code local}, the {@code cohortflow-executors-spark} module registers {@code spark}. Callers that let the
 * user choose an executor by name (the {@code run} command's {@code --executor}, the governor's pipeline callbacks,
 * the demo, the benchmarks) go through it, so that a runner and its libraries are on the class path only where they
 * are wanted: validating, planning and the local executor load no Spark class.
 *
 * <p>Implementations need a public no-argument constructor and a line in
 * {@code META-INF/services/org.cohortflow.executors.ExecutorProvider}.
 */
public interface ExecutorProvider {

    /** The name users choose this executor by ({@code --executor NAME}); the same as its executors' {@link Executor#name()}. */
    String name();

    /**
     * Starts an executor; the caller closes it.
     *
     * @throws IllegalArgumentException for settings this executor cannot use
     */
    Executor create(ExecutorSettings settings);
}
