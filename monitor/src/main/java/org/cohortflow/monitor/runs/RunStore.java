package org.cohortflow.monitor.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.monitor.ingest.EventBatch;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The monitor's runs in the database: runs, their nodes' planned counts, every job's last state and the
 * batches received. Every method works inside the caller's handle, so a change, its idempotency record
 * and its audit entry commit together.
 */
public final class RunStore {
    private static final String RUN_COLUMNS = "r.id, r.run_key, r.name, r.network_id, r.executor, r.host, r.run_dir, "
            + "r.reporter, r.created_at, r.started_at, r.finished_at, r.status, r.dropped, r.events";

    /** A run's database id and whether this call created it. */
    public record Started(long id, boolean created) {}

    /**
     * What applying a batch did: nothing when it was a duplicate, else the run's new version and the jobs
     * that changed (each once, in its latest state).
     */
    public record Applied(boolean duplicate, long version, List<JobState> jobs) {}

    /**
     * Creates a run unless one with this key exists (a reporter re-sending its start after a timeout).
     */
    public Started start(Handle h, String key, String name, String networkId, String networkJson, String executor,
                         String runDir, String host, String reporter, Instant startedAt, Instant now) {
        Optional<Long> existing = h.createQuery("SELECT id FROM run WHERE run_key = :k").bind("k", key)
                .mapTo(Long.class).findOne();
        if (existing.isPresent()) {
            return new Started(existing.get(), false);
        }
        long id = h.createUpdate("INSERT INTO run (run_key, name, network_id, network_json, executor, run_dir, host, "
                        + "reporter, created_at, started_at, updated_at, status) VALUES (:k, :name, :net, :json, :exec, :dir, "
                        + ":host, :who, :now, :started, :now, 'running')")
                .bind("k", key).bind("name", name).bind("net", networkId).bind("json", networkJson)
                .bind("exec", executor).bind("dir", runDir).bind("host", host).bind("who", reporter)
                .bind("now", ts(now)).bind("started", ts(startedAt == null ? now : startedAt))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new Started(id, true);
    }

    /** The database id of a run, locking its row until the transaction ends (batches of a run apply one at a time). */
    public Optional<Long> lock(Handle h, String key) {
        return h.createQuery("SELECT id FROM run WHERE run_key = :k FOR UPDATE").bind("k", key).mapTo(Long.class).findOne();
    }

    /**
     * Applies a batch to a run whose row the caller has {@link #lock locked}. A batch whose sequence number
     * was stored before changes nothing.
     */
    public Applied apply(Handle h, long runId, EventBatch batch, Instant now) {
        boolean seen = h.createQuery("SELECT COUNT(*) FROM run_batch WHERE run_id = :r AND seq = :s")
                .bind("r", runId).bind("s", batch.seq()).mapTo(Integer.class).one() > 0;
        if (seen) {
            return new Applied(true, 0, List.of());
        }
        h.createUpdate("INSERT INTO run_batch (run_id, seq, received_at, events) VALUES (:r, :s, :now, :n)")
                .bind("r", runId).bind("s", batch.seq()).bind("now", ts(now)).bind("n", batch.events().size()).execute();
        Map<String, JobState> jobs = new LinkedHashMap<>();
        Map<String, Integer> planned = new LinkedHashMap<>();
        Instant started = null;
        String executor = null;
        String finished = null;
        Instant finishedAt = null;
        for (EventBatch.Event e : batch.events()) {
            Instant t = Instant.ofEpochMilli(e.time());
            switch (e.type()) {
                case "run-started" -> {
                    started = t;
                    executor = e.state();
                    // A resumed run starts again: its end (if an earlier attempt finished) no longer holds.
                    finished = "running";
                    finishedAt = null;
                }
                case "planned" -> planned.put(e.node(), Integer.parseInt(e.state()));
                case "job", "sink" -> {
                    String k = e.node() + "\u0000" + e.sample();
                    JobState before = jobs.get(k);
                    boolean running = e.state().equals("running");
                    Instant start = running ? t : before == null ? null : before.startedAt();
                    jobs.put(k, new JobState(e.node(), e.sample(), e.state(), e.detail(), start, running ? null : t));
                }
                case "run-finished" -> {
                    finished = e.state().equals("succeeded") ? "succeeded" : "failed";
                    finishedAt = t;
                }
                default -> {
                    // Event types this monitor does not know yet are counted, not refused: newer runs may send more.
                }
            }
        }
        planned.forEach((node, n) -> {
            int updated = h.createUpdate("UPDATE run_node SET planned = :n WHERE run_id = :r AND node = :node")
                    .bind("n", n).bind("r", runId).bind("node", node).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO run_node (run_id, node, planned) VALUES (:r, :node, :n)")
                        .bind("n", n).bind("r", runId).bind("node", node).execute();
            }
        });
        writeJobs(h, runId, jobs.values());
        if (batch.report() != null) {
            applyReport(h, runId, batch.report());
            finished = batch.report().path("failures").size() == 0 && batch.report().path("missing").size() == 0
                    && batch.report().path("sinkProblems").size() == 0 && batch.report().path("problems").size() == 0
                    ? "succeeded" : "failed";
            if (finishedAt == null) {
                finishedAt = parseInstant(batch.report().path("end").asText(null)).orElse(now);
            }
        }
        var update = h.createUpdate("UPDATE run SET events = events + :n, dropped = CASE WHEN dropped > :d THEN dropped ELSE :d END, "
                        + "updated_at = :now" + (started != null ? ", started_at = :started, executor = :exec" : "")
                        + (finished != null ? ", status = :status, finished_at = :fin" : "") + " WHERE id = :r")
                .bind("n", batch.events().size()).bind("d", batch.dropped()).bind("now", ts(now)).bind("r", runId);
        if (started != null) {
            update.bind("started", ts(started)).bind("exec", executor);
        }
        if (finished != null) {
            update.bind("status", finished).bind("fin", ts(finishedAt));
        }
        update.execute();
        // Counts are not computed here: only a page watching the run needs them (RunUpdates asks for them then).
        return new Applied(false, version(h, runId), List.copyOf(jobs.values()));
    }

    private void writeJobs(Handle h, long runId, java.util.Collection<JobState> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        PreparedBatch update = h.prepareBatch("UPDATE job SET state = :state, detail = :detail, "
                + "started_at = COALESCE(CAST(:start AS TIMESTAMP WITH TIME ZONE), started_at), "
                + "finished_at = CAST(:fin AS TIMESTAMP WITH TIME ZONE) WHERE run_id = :r AND node = :node AND sample = :sample");
        List<JobState> list = List.copyOf(jobs);
        for (JobState j : list) {
            update.bind("state", j.state()).bind("detail", j.detail()).bind("start", ts(j.startedAt()))
                    .bind("fin", ts(j.finishedAt())).bind("r", runId).bind("node", j.node()).bind("sample", j.sample()).add();
        }
        int[] counts = update.execute();
        PreparedBatch insert = h.prepareBatch("INSERT INTO job (run_id, node, sample, state, detail, started_at, finished_at) "
                + "VALUES (:r, :node, :sample, :state, :detail, :start, :fin)");
        boolean any = false;
        for (int i = 0; i < list.size(); i++) {
            if (counts[i] == 0) {
                JobState j = list.get(i);
                insert.bind("r", runId).bind("node", j.node()).bind("sample", j.sample()).bind("state", j.state())
                        .bind("detail", j.detail()).bind("start", ts(j.startedAt())).bind("fin", ts(j.finishedAt())).add();
                any = true;
            }
        }
        if (any) {
            insert.execute();
        }
    }

    /**
     * Records what the run's report says about failed and missing jobs: the failures' commands, exit codes
     * and stderr tails, and the final state of any job whose events were dropped.
     */
    private void applyReport(Handle h, long runId, JsonNode report) {
        h.createUpdate("UPDATE run SET report_json = :j WHERE id = :r").bind("j", report.toString()).bind("r", runId).execute();
        List<JobState> finals = new ArrayList<>();
        Instant end = parseInstant(report.path("end").asText(null)).orElse(null);
        for (JsonNode m : report.path("missing")) {
            if (!"*".equals(m.path("sample").asText())) {
                JobState known = job(h, runId, m.path("node").asText(), m.path("sample").asText()).map(JobDetail::job).orElse(null);
                if (known == null || !known.state().equals("missing")) {
                    finals.add(new JobState(m.path("node").asText(), m.path("sample").asText(), "missing",
                            m.path("reason").asText(null), null, end));
                }
            }
        }
        for (JsonNode f : report.path("failures")) {
            JobState known = job(h, runId, f.path("node").asText(), f.path("sample").asText()).map(JobDetail::job).orElse(null);
            if (known == null || !known.state().equals("failed")) {
                finals.add(new JobState(f.path("node").asText(), f.path("sample").asText(), "failed",
                        f.path("error").asText(null), null, end));
            }
        }
        writeJobs(h, runId, finals);
        PreparedBatch details = h.prepareBatch("UPDATE job SET command = :cmd, exit_code = :code, stderr_tail = :err, "
                + "folder = :folder WHERE run_id = :r AND node = :node AND sample = :sample");
        boolean any = false;
        for (JsonNode f : report.path("failures")) {
            details.bind("cmd", f.path("command").asText(null))
                    .bind("code", f.path("exitCode").isInt() ? f.path("exitCode").asInt() : null)
                    .bind("err", f.path("stderrTail").asText(null)).bind("folder", f.path("folder").asText(null))
                    .bind("r", runId).bind("node", f.path("node").asText()).bind("sample", f.path("sample").asText()).add();
            any = true;
        }
        if (any) {
            details.execute();
        }
    }

    /** Runs newest first. */
    public List<RunSummary> list(Handle h, int limit, int offset) {
        List<Long> ids = h.createQuery("SELECT id FROM run ORDER BY created_at DESC, id DESC LIMIT :l OFFSET :o")
                .bind("l", limit).bind("o", offset).mapTo(Long.class).list();
        List<RunSummary> out = new ArrayList<>();
        ids.forEach(id -> summary(h, id).ifPresent(out::add));
        return out;
    }

    /** The database id of a run. */
    public Optional<Long> id(Handle h, String key) {
        return h.createQuery("SELECT id FROM run WHERE run_key = :k").bind("k", key).mapTo(Long.class).findOne();
    }

    /** A run's summary with its job totals. */
    public Optional<RunSummary> summary(Handle h, long runId) {
        return summary(h, runId, nodes(h, runId));
    }

    /** A run's summary with its job totals from {@code nodes} (its {@link #nodes}, read before). */
    public Optional<RunSummary> summary(Handle h, long runId, List<NodeCounts> nodes) {
        int[] totals = new int[3];
        for (NodeCounts n : nodes) {
            totals[0] += n.planned();
            totals[1] += n.finished();
            totals[2] += n.failed();
        }
        return h.createQuery("SELECT " + RUN_COLUMNS + " FROM run r WHERE r.id = :r").bind("r", runId)
                .map((rs, ctx) -> new RunSummary(rs.getString("run_key"), rs.getString("name"), rs.getString("network_id"),
                        rs.getString("executor"), rs.getString("host"), rs.getString("run_dir"), rs.getString("reporter"),
                        instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                        rs.getString("status"), totals[0], totals[1], totals[2], rs.getLong("dropped"), rs.getLong("events")))
                .findOne();
    }

    /** How many batches a run has had: the version of its state that pages compare deltas with. */
    public long version(Handle h, long runId) {
        return h.createQuery("SELECT COUNT(*) FROM run_batch WHERE run_id = :r").bind("r", runId).mapTo(Long.class).one();
    }

    /** The network the reporter sent, as JSON text. */
    public String networkJson(Handle h, long runId) {
        return h.createQuery("SELECT network_json FROM run WHERE id = :r").bind("r", runId).mapTo(String.class).one();
    }

    /** The run's report (sent with its last batch), as JSON text, or empty while it runs. */
    public Optional<String> reportJson(Handle h, long runId) {
        return h.createQuery("SELECT report_json FROM run WHERE id = :r").bind("r", runId).mapTo(String.class).findOne()
                .filter(s -> s != null);
    }

    /**
     * Every node's counts: nodes with planned jobs first (in the order they were planned), then nodes seen
     * only in job events (sinks).
     */
    public List<NodeCounts> nodes(Handle h, long runId) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        h.createQuery("SELECT node, planned FROM run_node WHERE run_id = :r ORDER BY node").bind("r", runId)
                .map((rs, ctx) -> {
                    counts.computeIfAbsent(rs.getString("node"), k -> new int[7])[0] = rs.getInt("planned");
                    return null;
                }).list();
        h.createQuery("SELECT node, state, COUNT(*) AS n FROM job WHERE run_id = :r GROUP BY node, state").bind("r", runId)
                .map((rs, ctx) -> {
                    int[] c = counts.computeIfAbsent(rs.getString("node"), k -> new int[7]);
                    int n = rs.getInt("n");
                    switch (rs.getString("state")) {
                        case "running" -> c[2] += n;
                        case "succeeded", "written" -> c[3] += n;
                        case "cached" -> c[4] += n;
                        case "failed" -> c[5] += n;
                        default -> c[6] += n;
                    }
                    return null;
                }).list();
        List<NodeCounts> out = new ArrayList<>();
        counts.forEach((node, c) -> {
            int seen = c[2] + c[3] + c[4] + c[5] + c[6];
            int planned = Math.max(c[0], seen);
            out.add(new NodeCounts(node, planned, planned - seen, c[2], c[3], c[4], c[5], c[6]));
        });
        return out;
    }

    /** Every job of a run. */
    public List<JobState> jobs(Handle h, long runId) {
        return h.createQuery("SELECT node, sample, state, detail, started_at, finished_at FROM job WHERE run_id = :r "
                        + "ORDER BY sample, node").bind("r", runId)
                .map((rs, ctx) -> jobState(rs)).list();
    }

    /** One job with its failure details. */
    public Optional<JobDetail> job(Handle h, long runId, String node, String sample) {
        return h.createQuery("SELECT node, sample, state, detail, started_at, finished_at, command, exit_code, stderr_tail, "
                        + "folder FROM job WHERE run_id = :r AND node = :node AND sample = :sample")
                .bind("r", runId).bind("node", node).bind("sample", sample)
                .map((rs, ctx) -> new JobDetail(jobState(rs), rs.getString("command"),
                        exitCode(rs),
                        rs.getString("stderr_tail"), rs.getString("folder")))
                .findOne();
    }

    /** Deletes a run with its jobs and batches; false when there is none. */
    public boolean delete(Handle h, long runId) {
        h.createUpdate("DELETE FROM job WHERE run_id = :r").bind("r", runId).execute();
        h.createUpdate("DELETE FROM run_node WHERE run_id = :r").bind("r", runId).execute();
        h.createUpdate("DELETE FROM run_batch WHERE run_id = :r").bind("r", runId).execute();
        return h.createUpdate("DELETE FROM run WHERE id = :r").bind("r", runId).execute() > 0;
    }

    /** The keys of finished runs created before {@code before}. */
    public List<String> finishedBefore(Handle h, Instant before) {
        return h.createQuery("SELECT run_key FROM run WHERE created_at < :b AND status <> 'running' ORDER BY id")
                .bind("b", ts(before)).mapTo(String.class).list();
    }

    private static JobState jobState(ResultSet rs) throws SQLException {
        return new JobState(rs.getString("node"), rs.getString("sample"), rs.getString("state"), rs.getString("detail"),
                instant(rs, "started_at"), instant(rs, "finished_at"));
    }

    private static Integer exitCode(ResultSet rs) throws SQLException {
        int code = rs.getInt("exit_code");
        return rs.wasNull() ? null : code;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Optional<Instant> parseInstant(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
