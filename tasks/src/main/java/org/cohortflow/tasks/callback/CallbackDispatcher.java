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
 * needs is in the database, a restarted service simply carries on. One loop thread picks the due callbacks,
 * so no callback is in two rounds at once; within a round they are sent {@link #SENDERS} at a time (a slow
 * receiver would otherwise hold up every other one), and a full round is followed by the next at once.
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
    /** Callbacks of one round sent at the same time. */
    static final int SENDERS = 8;
    private static final int ROUND = 64;
    private final java.util.concurrent.ExecutorService senders;

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
        this.senders = Executors.newFixedThreadPool(SENDERS, r -> {
            Thread t = new Thread(r, "tasks-callback-sender");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::deliverDueSafely, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void deliverDueSafely() {
        try {
            while (deliverRound().full()) {
                // a full round, every outcome recorded: more are probably due; go on without waiting for the next poll
            }
        } catch (RuntimeException e) {
            // the database may be briefly away; the next poll tries again
            LOG.warn("callback delivery round failed: {}", e.toString());
        }
    }

    /** Sends every due callback once; returns how many were acknowledged. */
    public int deliverDue() {
        int acknowledged = 0;
        while (true) {
            Round round = deliverRound();
            acknowledged += round.acknowledged();
            if (!round.full()) return acknowledged;
        }
    }

    /** What a round did: callbacks picked, outcomes recorded, callbacks acknowledged. */
    private record Round(int picked, int recorded, int acknowledged) {
        /** True when the round took as many as it may and recorded every outcome, so that more may be due. */
        boolean full() {
            return picked == ROUND && recorded == picked;
        }
    }

    /** One round: up to {@link #ROUND} due callbacks, sent concurrently. */
    private Round deliverRound() {
        List<Outbox.Callback> due = db.withHandle(h -> outbox.due(h, clock.instant(), ROUND));
        List<java.util.concurrent.Future<Boolean>> sent = new java.util.ArrayList<>();
        for (Outbox.Callback c : due) {
            sent.add(senders.submit(() -> deliver(c)));
        }
        int recorded = 0;
        int acknowledged = 0;
        for (java.util.concurrent.Future<Boolean> f : sent) {
            try {
                acknowledged += f.get() ? 1 : 0;
                recorded++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while delivering callbacks", e);
            } catch (java.util.concurrent.ExecutionException e) {
                // recording the outcome failed (database away): the callback stays due and is sent again
                LOG.warn("callback delivery failed: {}", e.getCause().toString());
            }
        }
        return new Round(due.size(), recorded, acknowledged);
    }

    private boolean deliver(Outbox.Callback c) {
        CallbackSender.Outcome o = sender.send(c.url(), c.secret(), c.key(), c.body());
        Instant now = clock.instant();
        String target = c.kind() + "/" + c.targetId();
        if (o.acknowledged()) {
            db.useTransaction(h -> {
                if (outbox.markDelivered(h, c.id(), now)) {
                    audit.record(h, "system", "callback.delivered", target, c.url() + " answered " + o.detail()
                            + " after " + (c.attempts() + 1) + " attempt(s)");
                }
            });
            return true;
        }
        Instant next = now.plus(backoff.after(c.attempts() + 1));
        db.useTransaction(h -> {
            outbox.markFailed(h, c.id(), o.detail(), next);
            audit.record(h, "system", "callback.failed", target, "attempt " + (c.attempts() + 1) + " to " + c.url()
                    + ": " + o.detail() + "; next attempt at " + next);
        });
        return false;
    }

    /** Stops the loop (an attempt under way finishes first, up to 10 s). */
    @Override
    public void close() {
        loop.shutdown();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
            senders.shutdown();
            senders.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
