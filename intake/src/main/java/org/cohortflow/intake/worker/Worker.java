package org.cohortflow.intake.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cohortflow.intake.queue.IntakeObject;
import org.cohortflow.intake.queue.ObjectQueue;
import org.cohortflow.server.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that works the queue: takes due objects oldest first and hands each to the
 * {@link Pipeline}; sleeps until the next retry is due or new work is signalled.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private final Database db;
    private final ObjectQueue queue;
    private final Pipeline pipeline;
    private final Clock clock;
    private final Runnable afterRound;
    private final Object signal = new Object();
    private final Thread thread;
    private volatile boolean closed;

    /** Starts working; {@code afterRound} runs after each pass (study completion checks). */
    public Worker(Database db, ObjectQueue queue, Pipeline pipeline, Clock clock, Runnable afterRound) {
        this.db = db;
        this.queue = queue;
        this.pipeline = pipeline;
        this.clock = clock;
        this.afterRound = afterRound;
        this.thread = new Thread(this::loop, "intake-worker");
        thread.setDaemon(true);
        thread.start();
    }

    /** Wakes the worker: new objects arrived. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                List<IntakeObject> due = db.withHandle(h -> queue.due(h, 50));
                for (IntakeObject o : due) {
                    if (closed) {
                        return;
                    }
                    pipeline.step(o);
                }
                afterRound.run();
                if (due.isEmpty()) {
                    Optional<Instant> next = db.withHandle(queue::nextDue);
                    long waitMs = next.map(t -> Duration.between(clock.instant(), t).toMillis()).orElse(1000L);
                    waitMs = Math.max(10, Math.min(1000, waitMs));
                    synchronized (signal) {
                        signal.wait(waitMs);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("intake worker: {}", e.toString());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        wake();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
