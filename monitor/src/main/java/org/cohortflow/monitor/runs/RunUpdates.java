package org.cohortflow.monitor.runs;

import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.cohortflow.server.http.Json;

/**
 * The browsers watching runs over server-sent events: the page of one run gets each batch's
 * {@link RunDelta}; the list of runs gets each run's new {@link RunSummary}. Only changes travel, so a run of
 * 10,000 jobs costs the page what changed since the last batch, not the whole run.
 */
public final class RunUpdates implements AutoCloseable {
    private final Json json;
    private final Counts counts;
    private final Map<String, Set<SseClient>> byRun = new ConcurrentHashMap<>();
    private final Set<SseClient> lists = new CopyOnWriteArraySet<>();
    // Browsers are written to from one thread of their own, so a reporter's request never waits for them.
    private final java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "monitor-updates");
        t.setDaemon(true);
        return t;
    });

    /** Reads a run's summary and node counts (in their latest state) when a delta is about to be sent. */
    @FunctionalInterface
    public interface Counts {
        /** The run's summary and counts, or empty when it was deleted meanwhile. */
        Optional<RunDelta> now(String key, long version, List<JobState> jobs);
    }

    public RunUpdates(Json json, Counts counts) {
        this.json = json;
        this.counts = counts;
    }

    /** Keeps {@code client} open and sends it the deltas of run {@code key}. */
    public void watchRun(String key, SseClient client) {
        Set<SseClient> set = byRun.computeIfAbsent(key, k -> new CopyOnWriteArraySet<>());
        set.add(client);
        client.onClose(() -> set.remove(client));
        client.keepAlive();
        client.sendComment("watching run " + key);
    }

    /** Keeps {@code client} open and sends it every run's summary as it changes. */
    public void watchList(SseClient client) {
        lists.add(client);
        client.onClose(() -> lists.remove(client));
        client.keepAlive();
        client.sendComment("watching runs");
    }

    /**
     * Sends a run's changes to whoever watches it (after its transaction committed). The counts are read
     * only when someone watches, on this class's own thread, so reporters never wait for them.
     */
    public void changed(String key, long version, List<JobState> jobs) {
        Set<SseClient> watching = byRun.getOrDefault(key, Set.of());
        if (watching.isEmpty() && lists.isEmpty()) {
            return;
        }
        sender.execute(() -> counts.now(key, version, jobs).ifPresent(delta -> {
            if (!watching.isEmpty()) {
                send(watching, "delta", json.write(delta));
            }
            if (!lists.isEmpty()) {
                send(lists, "run", json.write(delta.run()));
            }
        }));
    }

    /** Tells watchers of a run that it was deleted. */
    public void deleted(String key) {
        sender.execute(() -> {
            send(byRun.getOrDefault(key, Set.of()), "deleted", json.write(Map.of("key", key)));
            send(lists, "deleted", json.write(Map.of("key", key)));
        });
    }

    private static void send(Set<SseClient> clients, String event, String data) {
        for (SseClient c : clients) {
            if (c.terminated()) {
                clients.remove(c);
                continue;
            }
            // One browser's slow connection must not hold up the others' or the reporter's request for long;
            // Jetty's write timeout bounds it, and a client that failed is closed and forgotten.
            synchronized (c) {
                try {
                    c.sendEvent(event, data);
                } catch (RuntimeException e) {
                    clients.remove(c);
                }
            }
        }
    }

    /** How many browsers watch, for the health of tests and operators. */
    public int watchers() {
        return lists.size() + byRun.values().stream().mapToInt(Set::size).sum();
    }

    /** Stops sending; open connections end with the server. */
    @Override
    public void close() {
        sender.shutdownNow();
    }
}
