package org.cohortflow.executors.schedule;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.cohortflow.executors.Executor;
import org.cohortflow.executors.task.JobResult;
import org.cohortflow.executors.task.JobStart;
import org.cohortflow.executors.task.TaskWorker;
import org.cohortflow.executors.task.Work;
import org.cohortflow.executors.task.WorkerEnvironment;

/**
 * Runs batches of work on an executor side by side, so that the driver never waits for a whole batch (a wave)
 * to end before it hands out what became ready: each batch is one blocking {@link Executor#runAll} on a
 * thread of its own (on Spark one Spark job; Spark runs concurrent jobs of one application), and every result
 * and every batch's end goes into one queue that the driver takes from, on its own thread. So the driver sees
 * results one by one, as they arrive, whichever batch they belong to.
 */
public final class Batches implements AutoCloseable {

    /**
     * Something that happened: a result of a batch, a job of a task that still runs started or ended, or a
     * batch's end.
     */
    public sealed interface Event permits Result, JobStarted, JobEnded, Ended {}

    /** A job of a task of the batch {@code tag} began executing where it runs ({@link JobStart.Listener#started}). */
    public record JobStarted(Object tag, JobStart start) implements Event {}

    /** A result of the batch {@code tag}. */
    public record Result(Object tag, Serializable value) implements Event {}

    /**
     * A job of a task of the batch {@code tag} succeeded while its task goes on ({@link JobStart.Listener#ended}); the
     * same job comes again with its task's result (and, on Spark, may come more than once, or after that result).
     */
    public record JobEnded(Object tag, JobResult job) implements Event {}

    /** The batch {@code tag} ended; {@code error} when the executor itself failed (not a tool: that is a result). */
    public record Ended(Object tag, RuntimeException error) implements Event {}

    private final Executor executor;
    private final WorkerEnvironment env;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ExecutorService threads;
    private int running;

    public Batches(Executor executor, WorkerEnvironment env) {
        this.executor = executor;
        this.env = env;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cohortflow-batch-" + n.incrementAndGet());
            t.setDaemon(true);
            // Spark finds the application's classes through the context loader of the thread that submits.
            t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
            return t;
        });
    }

    /**
     * Starts a batch; its results, the starts and ends of jobs while their tasks go on, and its end arrive through
     * {@link #next()}, tagged with {@code tag}, in the order they reached this JVM: so a job reused and then made
     * again in its task is seen reused, then started, then succeeded.
     */
    public <R extends Serializable> void start(Object tag, List<? extends Work<R>> work, String description) {
        running++;
        JobStart.Listener relay = new Relay(tag);
        threads.execute(() -> {
            RuntimeException error = null;
            try {
                executor.runAll(work, env, description, relay, (R r) -> events.add(new Result(tag, r)));
            } catch (RuntimeException e) {
                error = e;
            } catch (Error e) {
                error = new Executor.ExecutionFailedException("the executor failed: " + e, e);
            }
            events.add(new Ended(tag, error));
        });
    }

    /**
     * Runs a batch of small work on a thread of this JVM with {@code worker}, not on the executor, for executors whose
     * tasks run in this JVM anyway ({@link Executor#runsTasksInThisJvm}): it then neither waits for a task slot behind
     * long tasks nor costs a Spark job. Its results and end arrive through {@link #next()} like any batch's.
     */
    public <R extends Serializable> void startHere(Object tag, List<? extends Work<R>> work, TaskWorker worker) {
        running++;
        // The caller goes on using its list (the driver crosses off results as they come).
        List<Work<R>> items = List.copyOf(work);
        threads.execute(() -> {
            RuntimeException error = null;
            try {
                for (Work<R> w : items) {
                    events.add(new Result(tag, w.run(worker)));
                }
            } catch (RuntimeException e) {
                error = e;
            } catch (Error e) {
                error = new Executor.ExecutionFailedException("work on the driver failed: " + e, e);
            }
            events.add(new Ended(tag, error));
        });
    }

    /**
     * Queues the starts and ends of jobs for the driver's thread, once each (Spark repeats them with every
     * heartbeat while the task runs). Lives on the driver only.
     */
    private final class Relay implements JobStart.Listener {
        private static final long serialVersionUID = 1L;
        private final transient Object tag;
        private final transient java.util.Set<Object> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Relay(Object tag) {
            this.tag = tag;
        }

        @Override
        public void started(JobStart start) {
            if (seen.add(start)) {
                events.add(new JobStarted(tag, start));
            }
        }

        @Override
        public void ended(JobResult job) {
            if (seen.add(job.label() + "\u0000" + job.cached() + "\u0000" + job.start() + "\u0000" + job.end())) {
                events.add(new JobEnded(tag, job));
            }
        }
    }

    /** Whether no batch is running (every {@link Ended} has been taken). */
    public boolean idle() {
        return running == 0;
    }

    /**
     * Waits for the next event, then takes it and every other event already there, in order.
     *
     * @throws IllegalStateException when no batch is running (nothing would ever come)
     */
    public List<Event> next() {
        if (running == 0) {
            throw new IllegalStateException("no batch is running");
        }
        List<Event> out = new ArrayList<>();
        try {
            out.add(events.take());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Executor.ExecutionFailedException("interrupted while waiting for tasks", e);
        }
        events.drainTo(out);
        for (Event e : out) {
            if (e instanceof Ended) {
                running--;
            }
        }
        return out;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
