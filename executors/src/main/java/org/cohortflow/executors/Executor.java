package org.cohortflow.executors;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.task.JobStart;
import org.cohortflow.executors.task.WorkerEnvironment;
import org.cohortflow.executors.task.Work;

/**
 * Runs a network over a cohort. The driver-side logic (planning, fusing per-sample chains into tasks,
 * caching, failure propagation, sinks, provenance, events and the report) is shared by every executor in
 * {@link RunEngine}; an executor only decides where tasks run: {@code LocalExecutor} on a thread pool of
 * this JVM, {@code SparkExecutor} (module {@code cohortflow-executors-spark}) on a Spark cluster. Both run the same
 * tasks with the same code, so they write byte-identical sink outputs. Executors are found by name through
 * {@link ExecutorProviders}.
 */
public interface Executor extends AutoCloseable {

    /** {@code local} or {@code spark}, for events and reports. */
    String name();

    /** How many tasks run at once, at most. */
    int parallelism();

    /** The address of the engine's web UI while it runs (Spark's UI), if it has one. */
    default Optional<String> uiUrl() {
        return Optional.empty();
    }

    /**
     * Runs work items, each exactly once as far as results go (a retried task delivers one result), and
     * hands each result to {@code onResult} as it arrives, never concurrently. Returns when all are done.
     *
     * @throws ExecutionFailedException when the engine itself fails (not when a tool fails: that is a result)
     */
    default <R extends Serializable> void runAll(List<? extends Work<R>> work, WorkerEnvironment env, Consumer<R> onResult) {
        runAll(work, env, null, JobStart.Listener.NONE, onResult);
    }

    /**
     * Like {@link #runAll(List, WorkerEnvironment, Consumer)}, and tells {@code onStart} on the driver when a
     * job begins executing where it runs: at once on a thread pool of this JVM; on Spark with the executors'
     * heartbeats (every {@code spark.executor.heartbeatInterval}), so a job that ends sooner may be told only
     * by its result, whose record has its start. {@code onStart} may be called from any thread, also
     * concurrently with {@code onResult}, and after the job's result for a start that came late.
     *
     * @param description what these tasks are, for people watching the engine (Spark's UI and event log show
     *                    it as the Spark job's description), or null
     */
    <R extends Serializable> void runAll(List<? extends Work<R>> work, WorkerEnvironment env, String description,
                                         JobStart.Listener onStart, Consumer<R> onResult);

    /**
     * Whether tasks run in this JVM (a thread pool, Spark in local mode): small work that needs no isolation, such as
     * writing a sink output, is then done on a driver thread at once instead of waiting for a task slot.
     */
    default boolean runsTasksInThisJvm() {
        return false;
    }

    /** Runs a network; see {@link RunSpec} and {@link RunEngine}. */
    default RunReport run(RunSpec spec) {
        return new RunEngine(this).run(spec);
    }

    /** Releases threads or the Spark session this executor created. */
    @Override
    void close();

    /** The engine could not run tasks at all (e.g. the Spark cluster went away). */
    final class ExecutionFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ExecutionFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
