package org.cohortflow.executors.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.executors.cache.JobRecords;
import org.cohortflow.executors.storage.RunLayout;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.executors.task.JobResult;
import org.cohortflow.executors.task.StoredValue;

/**
 * What {@code cohortflow trace} shows of a finished (or stopped) run, read from its folder alone: the jobs
 * that failed or are missing; the jobs of one node; or one job in full: its inputs (values, files, hashes),
 * command line, outputs, stdout and stderr, cache key and why it ran, and its provenance back to the sources.
 * The run folder's {@code events.jsonl} gives each job's last state, the job folders their records.
 */
public final class RunTrace {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of stdout and stderr is shown: their ends, where errors are. */
    static final int TAIL_LINES = 40;

    private final Storage storage;
    private final URI runDir;
    private final JobRecords records;

    /** @param runDir the run folder {@code WORK/RUN-ID} */
    public RunTrace(Storage storage, URI runDir) {
        this.storage = storage;
        this.runDir = runDir;
        this.records = new JobRecords(storage);
    }

    /** A job's last state in the run's event log. */
    public record JobState(String node, String sample, String state, String detail) {}

    /** Every job of the run with its last state, in the order they reached it. */
    public List<JobState> jobs() throws IOException {
        URI events = Storage.resolve(runDir, RunLayout.EVENTS);
        if (!storage.exists(events)) {
            throw new IllegalArgumentException(runDir + " is not a run folder: it has no " + RunLayout.EVENTS);
        }
        Map<String, JobState> last = new LinkedHashMap<>();
        for (String line : storage.readString(events).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode e;
            try {
                e = JSON.readTree(line);
            } catch (IOException partial) {
                continue; // a line cut off by a killed run
            }
            if ("job".equals(e.path("type").asText())) {
                String k = e.path("node").asText() + "\u0000" + e.path("sample").asText();
                last.remove(k);
                last.put(k, new JobState(e.path("node").asText(), e.path("sample").asText(), e.path("state").asText(),
                        e.path("detail").isNull() ? null : e.path("detail").asText(null)));
            }
        }
        return new ArrayList<>(last.values());
    }

    /** The run's failed and missing jobs, and how to trace each; or that none failed. */
    public String failures() throws IOException {
        List<JobState> jobs = jobs();
        StringBuilder sb = new StringBuilder();
        sb.append("run folder ").append(runDir).append(": ").append(jobs.size()).append(" jobs");
        Map<String, Integer> counts = new LinkedHashMap<>();
        jobs.forEach(j -> counts.merge(j.state(), 1, Integer::sum));
        counts.forEach((s, n) -> sb.append(", ").append(n).append(' ').append(s));
        sb.append('\n');
        List<JobState> failed = jobs.stream().filter(j -> j.state().equals("failed")).toList();
        List<JobState> missing = jobs.stream().filter(j -> j.state().equals("missing")).toList();
        List<JobState> running = jobs.stream().filter(j -> j.state().equals("running")).toList();
        if (failed.isEmpty() && missing.isEmpty() && running.isEmpty()) {
            sb.append("no job failed or is missing\n");
        }
        if (!failed.isEmpty()) {
            sb.append("failed samples:\n");
            failed.forEach(j -> sb.append("  ").append(j.node()).append('/').append(j.sample()).append(": ")
                    .append(oneLine(j.detail())).append('\n'));
        }
        if (!missing.isEmpty()) {
            sb.append("missing (not run because of another job):\n");
            missing.forEach(j -> sb.append("  ").append(j.node()).append('/').append(j.sample()).append(": ")
                    .append(oneLine(j.detail())).append('\n'));
        }
        if (!running.isEmpty()) {
            sb.append("never finished (the run stopped while they ran):\n");
            running.forEach(j -> sb.append("  ").append(j.node()).append('/').append(j.sample()).append('\n'));
        }
        if (!failed.isEmpty()) {
            JobState f = failed.get(0);
            sb.append("one job in full: cohortflow trace ").append(runDir).append(' ').append(f.node()).append('/').append(f.sample()).append('\n');
        }
        return sb.toString();
    }

    /** The jobs of one node with their states. */
    public String node(String node) throws IOException {
        List<JobState> jobs = jobs().stream().filter(j -> j.node().equals(node)).toList();
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("run " + runDir + " has no jobs of node '" + node + "'; its nodes: "
                    + String.join(", ", jobs().stream().map(JobState::node).distinct().toList()));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("node ").append(node).append(": ").append(jobs.size()).append(" jobs\n");
        for (JobState j : jobs) {
            sb.append(String.format(java.util.Locale.ROOT, "  %-24s %-10s %s%n", j.sample(), j.state(),
                    j.detail() == null ? "" : oneLine(j.detail())));
        }
        return sb.toString();
    }

    /** One job in full. */
    public String job(String node, String sample) throws IOException {
        URI dir = RunLayout.jobDir(runDir, node, sample);
        Optional<JobState> state = jobs().stream().filter(j -> j.node().equals(node) && j.sample().equals(sample)).findFirst();
        Optional<JobResult> record = records.read(dir);
        if (state.isEmpty() && record.isEmpty()) {
            throw new IllegalArgumentException("run " + runDir + " has no job " + node + "/" + sample);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("job ").append(node).append('/').append(sample).append(" of run folder ").append(runDir).append('\n');
        sb.append("state:      ").append(state.map(JobState::state).orElse("(not in the event log)")).append('\n');
        if (record.isEmpty()) {
            state.map(JobState::detail).ifPresent(d -> sb.append("why:        ").append(d).append('\n'));
            sb.append("record:     none (the job did not run: it is missing because of another job, or was cut off)\n");
            return sb.toString();
        }
        JobResult r = record.get();
        sb.append("tool:       ").append(r.tool()).append('\n');
        sb.append("folder:     ").append(dir).append('\n');
        sb.append("host:       ").append(r.host()).append('\n');
        if (r.start() > 0) {
            sb.append("ran:        ").append(Instant.ofEpochMilli(r.start())).append(" to ").append(Instant.ofEpochMilli(r.end()))
                    .append(String.format(java.util.Locale.ROOT, " (%.2f s)", (r.end() - r.start()) / 1000.0)).append('\n');
        }
        sb.append("cache key:  ").append(r.key() == null ? "none recorded (a failed job keeps no key: it is never reused)" : r.key()).append('\n');
        sb.append("run because: ").append(whyRun(dir, state)).append('\n');
        if (r.command() != null) {
            sb.append("command:    ").append(r.command()).append('\n');
        }
        if (r.exitCode() != null) {
            sb.append("exit code:  ").append(r.exitCode()).append('\n');
        }
        if (r.error() != null) {
            sb.append("error:      ").append(r.error()).append('\n');
        }
        for (String w : r.warnings()) {
            sb.append("warning:    ").append(w).append('\n');
        }
        sb.append("inputs:\n");
        if (r.inputs().isEmpty()) {
            sb.append("  (none recorded)\n");
        }
        for (JobResult.Used u : r.inputs()) {
            sb.append("  ").append(u.port()).append('[').append(u.index()).append("] ").append(u.type()).append(" from ")
                    .append(u.origin()).append(' ').append(u.ref());
            if (u.producerPort() != null) {
                sb.append('.').append(u.producerPort()).append('[').append(u.producerIndex()).append(']');
            }
            sb.append('\n');
            if (u.location() != null) {
                sb.append("      file   ").append(u.location()).append('\n');
            } else if (u.value() != null) {
                sb.append("      value  ").append(u.value()).append('\n');
            } else if ("job".equals(u.origin())) {
                producedValue(u).ifPresent(v -> sb.append("      value  ").append(v).append('\n'));
            }
            sb.append("      sha256 ").append(u.hash() == null ? "none" : u.hash()).append('\n');
        }
        sb.append("outputs:\n");
        if (r.outputs().isEmpty()) {
            sb.append("  (none)\n");
        }
        for (JobResult.Output o : r.outputs()) {
            for (int i = 0; i < o.values().size(); i++) {
                StoredValue v = o.values().get(i);
                sb.append("  ").append(o.port()).append('[').append(i).append("] ").append(v.type()).append(' ')
                        .append(v.kind() == StoredValue.Kind.TEXT ? "= " + v.text() : v.text())
                        .append("\n      sha256 ").append(v.hash()).append('\n');
            }
        }
        appendTail(sb, "stdout", Storage.resolve(dir, "stdout.txt"));
        appendTail(sb, "stderr", Storage.resolve(dir, "stderr.txt"));
        if (r.stderrTail() != null && !storage.exists(Storage.resolve(dir, "stderr.txt"))) {
            sb.append("stderr (end):\n");
            r.stderrTail().lines().forEach(l -> sb.append("  | ").append(l).append('\n'));
        }
        sb.append("provenance (what it was made from, back to the sources):\n");
        provenance(sb, r, "  ", new HashSet<>());
        return sb.toString();
    }

    /** The value a producing job recorded for an input that is not a file (a number, a text). */
    private Optional<String> producedValue(JobResult.Used u) {
        int slash = u.ref().indexOf('/');
        if (slash < 0 || u.producerPort() == null) {
            return Optional.empty();
        }
        return records.read(RunLayout.jobDir(runDir, u.ref().substring(0, slash), u.ref().substring(slash + 1)))
                .flatMap(p -> p.output(u.producerPort()))
                .filter(o -> u.producerIndex() >= 0 && u.producerIndex() < o.values().size())
                .map(o -> o.values().get(u.producerIndex()))
                .filter(v -> v.kind() == StoredValue.Kind.TEXT)
                .map(StoredValue::text);
    }

    private String whyRun(URI dir, Optional<JobState> state) throws IOException {
        if (state.isPresent() && state.get().state().equals("cached")) {
            return "it did not run: its result from an earlier run was reused (same key, outputs intact)";
        }
        URI why = Storage.resolve(dir, JobRecords.WHY);
        return storage.exists(why) ? storage.readString(why).strip() : "not recorded (a run before cohortflow recorded it)";
    }

    private void appendTail(StringBuilder sb, String name, URI file) throws IOException {
        if (!storage.exists(file)) {
            return;
        }
        List<String> lines = storage.readString(file).lines().toList();
        sb.append(name).append(" (").append(file).append(lines.size() > TAIL_LINES ? ", last " + TAIL_LINES + " of "
                + lines.size() + " lines" : "").append("):\n");
        if (lines.isEmpty()) {
            sb.append("  (empty)\n");
        }
        lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).forEach(l -> sb.append("  | ").append(l).append('\n'));
    }

    /** The producing jobs of {@code r}'s inputs, each with its tool and key, recursively; sources and literals end a branch. */
    private void provenance(StringBuilder sb, JobResult r, String indent, Set<String> seen) {
        sb.append(indent).append("job ").append(r.label()).append(" (").append(r.tool()).append(", key ")
                .append(r.key() == null ? "none" : r.key().substring(0, Math.min(12, r.key().length()))).append(")\n");
        if (!seen.add(r.label())) {
            return;
        }
        for (JobResult.Used u : r.inputs()) {
            if ("job".equals(u.origin())) {
                int slash = u.ref().indexOf('/');
                Optional<JobResult> p = slash < 0 ? Optional.empty()
                        : records.read(RunLayout.jobDir(runDir, u.ref().substring(0, slash), u.ref().substring(slash + 1)));
                if (p.isPresent()) {
                    provenance(sb, p.get(), indent + "  ", seen);
                } else {
                    sb.append(indent).append("  job ").append(u.ref()).append(" (no record)\n");
                }
            } else {
                sb.append(indent).append("  ").append(u.origin()).append(' ').append(u.ref())
                        .append(u.location() != null ? " " + u.location() : "")
                        .append(u.hash() != null ? " sha256 " + u.hash().substring(0, Math.min(12, u.hash().length())) : "").append('\n');
            }
        }
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String first = s.lines().findFirst().orElse("");
        return first.length() > 200 ? first.substring(0, 200) + "..." : first;
    }
}
