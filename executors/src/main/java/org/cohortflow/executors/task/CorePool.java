package org.cohortflow.executors.task;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The cores of one machine, or of one Spark executor, shared by the tasks that run there, so that a
 * command-line tool asking for {@code cores: 4} never runs beside other work on the same four cores.
 *
 * <p>Every running task holds one core (its thread). A command-line job trades its task's core for as many
 * as its tool asks (at most the pool's size) and trades them back when it ends. Trading rather than
 * taking more on top is what keeps this free of deadlock: a thread that waits holds nothing, so two
 * tasks can never each hold a core while waiting for the other's.
 */
public final class CorePool {
    private final int cores;
    private final Semaphore free;

    /** @param cores how many cores the tasks share (at least 1) */
    public CorePool(int cores) {
        if (cores < 1) throw new IllegalArgumentException("a core pool needs at least one core, not " + cores);
        this.cores = cores;
        this.free = new Semaphore(cores, true);
    }

    /** Runs one task holding one core for its duration; interrupted only while waiting for that core. */
    public <T> T runTask(Supplier<T> task) throws InterruptedException {
        free.acquire();
        try {
            return task.get();
        } finally {
            free.release();
        }
    }

    /** The gate a {@link TaskWorker} uses inside {@link #runTask} for command-line jobs. */
    public TaskWorker.CoreGate gate() {
        return wanted -> {
            int n = Math.max(1, Math.min(wanted, cores));
            if (n == 1) return () -> { };
            free.release();
            try {
                free.acquire(n);
            } catch (InterruptedException e) {
                // The task's own core must be back before runTask's finally returns it.
                free.acquireUninterruptibly();
                throw e;
            }
            return () -> {
                free.release(n);
                free.acquireUninterruptibly();
            };
        };
    }
}
