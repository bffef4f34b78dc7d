package org.cohortflow.executors.local;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.cohortflow.executors.Executor;
import org.cohortflow.executors.process.ToolProcesses;
import org.cohortflow.executors.task.CorePool;
import org.cohortflow.executors.task.JobStart;
import org.cohortflow.executors.task.TaskWorker;
import org.cohortflow.executors.task.Timeouts;
import org.cohortflow.executors.task.Work;
import org.cohortflow.executors.task.WorkerEnvironment;
import org.cohortflow.executors.task.WorkerResources;

/**
 * Runs tasks on a thread pool of this JVM: no start-up cost, for small cohorts, tests and development.
 * Command-line jobs also take as many of the pool's cores as their tool asks for, so that a 4-core
 * registration does not run beside three others on a 4-core machine.
 */
public final class LocalExecutor implements Executor {
    private final int parallelism;
    private final ExecutorService pool;
    private final CorePool cores;
    private final Duration defaultTimeout;
    /** The last run's shared resources, and that run's environment. */
    private WorkerResources resources;
    private WorkerEnvironment resourcesFor;

    /** An executor with one thread per available processor. */
    public LocalExecutor() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** @param parallelism how many tasks run at once, and how many cores command-line jobs share */
    public LocalExecutor(int parallelism) {
        this(parallelism, Timeouts.DEFAULT);
    }

    /**
     * @param parallelism    how many tasks run at once, and how many cores command-line jobs share
     * @param defaultTimeout how long a job of a tool without a timeout of its own may run
     */
    public LocalExecutor(int parallelism, Duration defaultTimeout) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        this.parallelism = parallelism;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "cohortflow-local-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.cores = new CorePool(parallelism);
        this.defaultTimeout = defaultTimeout;
        // What a killed run left on this machine (tool processes, job folders) ends before this one starts.
        ToolProcesses.ofThisJvm().sweep();
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public boolean runsTasksInThisJvm() {
        return true;
    }

    @Override
    public <R extends Serializable> void runAll(List<? extends Work<R>> work, WorkerEnvironment env, String description,
                                                JobStart.Listener onStart, Consumer<R> onResult) {
        if (work.isEmpty()) {
            return;
        }
        // The tasks run in this JVM: a job's start reaches the driver the moment it happens.
        TaskWorker worker = new TaskWorker(env, resources(env), cores.gate(), defaultTimeout, onStart);
        CompletionService<R> done = new ExecutorCompletionService<>(pool);
        work.forEach(w -> done.submit(() -> cores.runTask(() -> w.run(worker))));
        try {
            for (int i = 0; i < work.size(); i++) {
                onResult.accept(done.take().get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutionFailedException("interrupted while waiting for tasks", e);
        } catch (ExecutionException e) {
            throw new ExecutionFailedException("a task failed outside any tool: " + e.getCause(), e.getCause());
        }
    }

    /** The resources of the run {@code env} describes: made for its first batch, shared by the ones after it. */
    private synchronized WorkerResources resources(WorkerEnvironment env) {
        if (!env.equals(resourcesFor)) {
            resources = WorkerResources.of(env);
            resourcesFor = env;
        }
        return resources;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
