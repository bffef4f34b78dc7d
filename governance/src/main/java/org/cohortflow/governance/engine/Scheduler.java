package org.cohortflow.governance.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Fires each callback execution's next step at its due time (a timer per execution, not a poll), on a
 * worker pool. The database is the truth: timers are rebuilt from it at start, a stale timer does nothing
 * (the engine re-reads the row), and a slow sweep catches anything a timer could not hold.
 */
final class Scheduler implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "governor-timer"));
    private final Map<Long, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();
    private final Clock clock;
    private final LongConsumer onDue;
    private final java.util.concurrent.ExecutorService workers;

    Scheduler(Clock clock, java.util.concurrent.ExecutorService workers, LongConsumer onDue) {
        this.clock = clock;
        this.workers = workers;
        this.onDue = onDue;
    }

    /** Runs {@code onDue(executionId)} at {@code due} (now if past), replacing an earlier timer of that execution. */
    void at(long executionId, Instant due) {
        long delay = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        ScheduledFuture<?> f = timer.schedule(() -> {
            timers.remove(executionId);
            workers.execute(() -> onDue.accept(executionId));
        }, delay, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> old = timers.put(executionId, f);
        if (old != null) {
            old.cancel(false);
        }
    }

    /** Runs {@code sweep} every {@code period}, as a safety net behind the timers. */
    void every(Duration period, Runnable sweep) {
        timer.scheduleWithFixedDelay(() -> workers.execute(sweep), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
