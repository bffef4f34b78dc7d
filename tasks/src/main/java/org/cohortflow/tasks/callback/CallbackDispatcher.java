package org.cohortflow.tasks.callback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox in the background: every poll it sends the due callbacks, records each outcome in its
 * own transaction (with an audit entry), and schedules failures again with back-off. Because everything it
 * needs is in the database, a restarted service simply carries on.
 */
public final class CallbackDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDispatcher.class);
    private final Database db;
    private final Outbox outbox;
    private final CallbackSender sender;
    private final Backoff backoff;
    private final AuditLog audit;
    private final Clock clock;
    private final ScheduledExecutorService loop;

    /**
     * Starts delivering.
     *
     * @param poll how often to look for due callbacks
     */
    public CallbackDispatcher(Database db, Outbox outbox, CallbackSender sender, Backoff backoff, AuditLog audit, Clock clock,
                              Duration poll) {
        this.db = db;
        this.outbox = outbox;
        this.sender = sender;
        this.backoff = backoff;
        this.audit = audit;
        this.clock = clock;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tasks-callbacks");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::deliverDueSafely, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void deliverDueSafely() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            // the database may be briefly away; the next poll tries again
            LOG.warn("callback delivery round failed: {}", e.toString());
        }
    }

    /** Sends every due callback once; returns how many were acknowledged. */
    public int deliverDue() {
        List<Outbox.Callback> due = db.withHandle(h -> outbox.due(h, clock.instant(), 50));
        int acknowledged = 0;
        for (Outbox.Callback c : due) {
            CallbackSender.Outcome o = sender.send(c.url(), c.secret(), c.key(), c.body());
            Instant now = clock.instant();
            String target = c.kind() + "/" + c.targetId();
            if (o.acknowledged()) {
                acknowledged++;
                db.useTransaction(h -> {
                    if (outbox.markDelivered(h, c.id(), now)) {
                        audit.record(h, "system", "callback.delivered", target, c.url() + " answered " + o.detail()
                                + " after " + (c.attempts() + 1) + " attempt(s)");
                    }
                });
            } else {
                Instant next = now.plus(backoff.after(c.attempts() + 1));
                db.useTransaction(h -> {
                    outbox.markFailed(h, c.id(), o.detail(), next);
                    audit.record(h, "system", "callback.failed", target, "attempt " + (c.attempts() + 1) + " to " + c.url()
                            + ": " + o.detail() + "; next attempt at " + next);
                });
            }
        }
        return acknowledged;
    }

    /** Stops the loop (an attempt under way finishes first, up to 10 s). */
    @Override
    public void close() {
        loop.shutdown();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
