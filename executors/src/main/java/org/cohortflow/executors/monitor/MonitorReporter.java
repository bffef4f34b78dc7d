package org.cohortflow.executors.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.cohortflow.executors.events.RunEvent;
import org.cohortflow.executors.report.RunReport;

/**
 * Sends a run's events to a cohortflow monitor: the network when the run starts, then the events in
 * numbered batches, at most one round every {@link MonitorSettings#interval()}, from a background thread.
 *
 * <p>The run never waits for the monitor: {@link #accept} only puts the event in a bounded buffer, and
 * when the buffer is full the event is dropped and counted (the monitor is told how many). A batch that
 * failed or timed out is sent again with the same number, which the monitor recognises, so nothing is
 * counted twice. {@link #close} gives the last events at most {@link MonitorSettings#closeWait()} to arrive,
 * less when the monitor cannot be reached at all. The run's own {@code events.jsonl} stays the record.
 */
public final class MonitorReporter implements Consumer<RunEvent>, AutoCloseable {
    private static final int MAX_BATCH = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));

    private final MonitorSettings settings;
    private final String key;
    private final Map<String, Object> start;
    private final BlockingQueue<RunEvent> buffer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final HttpClient http;
    private final Thread sender;
    private final Object wake = new Object();
    private volatile boolean closing;
    private volatile JsonNode report;
    private volatile String lastProblem;
    private volatile boolean unreachable;
    private boolean started;
    private long seq = 1;
    private volatile List<RunEvent> pending;
    private boolean pendingHasReport;
    private volatile boolean reportSent;
    private volatile long deadline;

    /**
     * Starts reporting a run.
     *
     * @param key     the run's key at the monitor (unique per run, see {@link #keyFor})
     * @param name    the run's name (its run id)
     * @param network the network as {@link NetworkDescription} gives it
     * @param runDir  the run folder's URI, or null
     */
    public MonitorReporter(MonitorSettings settings, String key, String name, Map<String, Object> network, String runDir) {
        this.settings = settings;
        this.key = key;
        this.buffer = new ArrayBlockingQueue<>(settings.capacity());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("network", network);
        s.put("runDir", runDir);
        s.put("host", host());
        s.put("startedAt", Instant.now());
        this.start = s;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.sender = new Thread(this::loop, "cohortflow-monitor-reporter");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** A reporter for the run of {@code spec}, under a new key. */
    public static MonitorReporter forRun(MonitorSettings settings, org.cohortflow.executors.RunSpec spec) {
        return new MonitorReporter(settings, keyFor(spec.runId()), spec.runId(),
                NetworkDescription.of(spec.network(), spec.tools().registry()),
                org.cohortflow.executors.storage.Storage.resolve(spec.work(), spec.runId()).toString());
    }

    /** A key for a new run: its name, the start time and a random part, as the monitor accepts keys. */
    public static String keyFor(String runName) {
        String base = runName.replaceAll("[^A-Za-z0-9._-]", "-");
        base = base.length() > 60 ? base.substring(0, 60) : base;
        String time = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(Instant.now());
        return (base.isEmpty() ? "run" : base) + "-" + time + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
    }

    /** The run's key at the monitor. */
    public String key() {
        return key;
    }

    /** The run page's address. */
    public URI page() {
        return settings.url().resolve("/runs/" + key);
    }

    /** Buffers an event; never blocks: a full buffer drops it and counts it. */
    @Override
    public void accept(RunEvent e) {
        if (!buffer.offer(e)) {
            dropped.incrementAndGet();
        }
    }

    /** Sends the run's report with the last batch (the failures' commands, exit codes and stderr tails). */
    public void finished(RunReport r) {
        this.report = JSON.valueToTree(r);
    }

    /** Sends a report read from a run folder with the last batch. */
    public void report(JsonNode r) {
        this.report = r;
    }

    /** Events dropped because the buffer was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Events the monitor acknowledged. */
    public long delivered() {
        return delivered.get();
    }

    /** Events buffered or in a batch not yet acknowledged. */
    public long undelivered() {
        List<RunEvent> p = pending;
        return buffer.size() + (p == null ? 0 : p.size());
    }

    /** The last problem talking to the monitor, or null. */
    public String lastProblem() {
        return lastProblem;
    }

    /** A line for the console when not everything reached the monitor, else null. */
    public String problemSummary() {
        long lost = undelivered() + dropped();
        if (lost == 0 && (report == null || reportSent)) {
            return null;
        }
        return "monitor " + settings.url() + ": " + lost + " event(s)" + (report != null && !reportSent ? " and the report" : "")
                + " not delivered" + (dropped() > 0 ? " (" + dropped() + " dropped, buffer full)" : "")
                + (lastProblem != null ? ": " + lastProblem : "") + "; events.jsonl in the run folder holds them all";
    }

    private void loop() {
        while (true) {
            boolean last = closing;
            try {
                round();
            } catch (InterruptedException e) {
                return;
            }
            if (last && (done() || System.nanoTime() >= deadline || unreachable)) {
                return;
            }
            if (last && lastProblem != null) {
                // Retrying at the end: a short pause instead of the full interval, bounded by the close deadline.
                sleep(Math.min(200, remainingMillis()));
                continue;
            }
            synchronized (wake) {
                if (!closing) {
                    try {
                        wake.wait(settings.interval().toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    private boolean done() {
        return pending == null && buffer.isEmpty() && (report == null || reportSent || !started);
    }

    private long remainingMillis() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends the start if needed, then batches until the buffer is empty or a request fails. */
    private void round() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
        if (!started) {
            if (buffer.isEmpty()) {
                // Nothing happened yet (or the run failed before its first event): the monitor hears of runs that start.
                return;
            }
            if (!send("PUT", "/api/v1/runs/" + key, start)) {
                return;
            }
            started = true;
        }
        while (true) {
            if (pending == null) {
                List<RunEvent> next = new ArrayList<>();
                buffer.drainTo(next, MAX_BATCH);
                boolean withReport = closing && buffer.isEmpty() && report != null && !reportSent;
                if (next.isEmpty() && !withReport) {
                    return;
                }
                pending = next;
                pendingHasReport = withReport;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("seq", seq);
            body.put("events", pending);
            body.put("dropped", dropped.get());
            if (pendingHasReport) {
                body.put("report", report);
            }
            if (!send("POST", "/api/v1/runs/" + key + "/batches", body)) {
                return;
            }
            delivered.addAndGet(pending.size());
            reportSent |= pendingHasReport;
            pending = null;
            seq++;
        }
    }

    private boolean send(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(settings.url().resolve(path)).timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            settings.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) {
                lastProblem = null;
                unreachable = false;
                return true;
            }
            lastProblem = method + " " + path + " answered " + r.statusCode() + ": " + r.body();
            // A refused request (bad token, a batch the monitor rejects) will not succeed by repeating it
            // at the end of the run; a server error might.
            unreachable = r.statusCode() / 100 == 4;
            return false;
        } catch (ConnectException e) {
            lastProblem = "cannot connect (" + e + ")";
            unreachable = true;
            return false;
        } catch (IOException e) {
            lastProblem = e.toString();
            unreachable = false;
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Sends what is left (and the report) and stops, waiting at most {@link MonitorSettings#closeWait()} and
     * less when the monitor cannot be reached at all.
     */
    @Override
    public void close() {
        deadline = System.nanoTime() + settings.closeWait().toNanos();
        closing = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            sender.join(settings.closeWait().toMillis() + settings.timeout().toMillis() / 10 + 100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            // A request still hanging on a slow monitor: abandon it, the run has waited long enough.
            sender.interrupt();
        }
    }
}
