package org.cohortflow.executors.cache;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.executors.task.JobResult;
import org.cohortflow.executors.task.StoredValue;

/**
 * The cache record of a job, {@code <run>/<node>/<sample>/job.json}. It is written last and atomically,
 * after every output is stored, so its presence with status {@code SUCCEEDED} means the job completed;
 * a job killed half-way has no record (or the record of an earlier attempt) and runs again.
 */
public final class JobRecords {
    public static final String FILE = "job.json";
    /** Why the job in this folder ran (no earlier result, a changed key, ...), one line, for {@code cohortflow trace}. */
    public static final String WHY = "why-run.txt";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Storage storage;

    public JobRecords(Storage storage) {
        this.storage = storage;
    }

    public void write(URI jobDir, JobResult result) throws IOException {
        storage.writeAtomically(Storage.resolve(jobDir, FILE), JSON.writeValueAsBytes(result));
    }

    public Optional<JobResult> read(URI jobDir) {
        try {
            URI f = Storage.resolve(jobDir, FILE);
            if (!storage.exists(f)) {
                return Optional.empty();
            }
            return Optional.of(JSON.readValue(storage.read(f), JobResult.class));
        } catch (IOException | RuntimeException e) {
            // An unreadable record is as good as none: the job runs again.
            return Optional.empty();
        }
    }

    /**
     * A completed record with this key whose stored outputs are all still there with their recorded sizes;
     * empty when the job has to run.
     */
    public Optional<JobResult> reusable(URI jobDir, String key) {
        return read(jobDir).filter(r -> r.succeeded() && key.equals(r.key())).filter(this::outputsIntact);
    }

    /**
     * Whether a job can reuse its earlier result, and if not why it runs (again): no earlier record, an
     * earlier failure, a changed key (which inputs changed, else the tool or its parameters), or outputs
     * that are gone.
     *
     * @param now the job's inputs as resolved now, with their hashes
     */
    public Reuse reuse(URI jobDir, String key, List<JobResult.Used> now) {
        Optional<JobResult> before = read(jobDir);
        if (before.isEmpty()) {
            return new Reuse(Optional.empty(), "no earlier result: the job never completed in this run folder");
        }
        JobResult r = before.get();
        if (!r.succeeded()) {
            return new Reuse(Optional.empty(), "the earlier attempt " + r.status().name().toLowerCase(java.util.Locale.ROOT)
                    + (r.error() == null ? "" : ": " + r.error()));
        }
        if (!key.equals(r.key())) {
            List<String> changed = new ArrayList<>();
            for (JobResult.Used u : now) {
                Optional<JobResult.Used> old = r.inputs().stream().filter(o -> o.port().equals(u.port()) && o.index() == u.index()).findFirst();
                if (old.isEmpty()) {
                    changed.add(u.port() + "[" + u.index() + "] is new");
                } else if (!java.util.Objects.equals(old.get().hash(), u.hash())) {
                    changed.add(u.port() + "[" + u.index() + "] changed (" + shortHash(old.get().hash()) + " -> " + shortHash(u.hash()) + ")");
                }
            }
            for (JobResult.Used o : r.inputs()) {
                if (now.stream().noneMatch(u -> u.port().equals(o.port()) && u.index() == o.index())) {
                    changed.add(o.port() + "[" + o.index() + "] is gone");
                }
            }
            return new Reuse(Optional.empty(), "the job's key changed (" + shortHash(r.key()) + " -> " + shortHash(key) + "): "
                    + (changed.isEmpty() ? "the tool's id, version or definition changed" : "input " + String.join(", input ", changed)));
        }
        if (!outputsIntact(r)) {
            return new Reuse(Optional.empty(), "an output of the earlier result is gone or changed size");
        }
        return new Reuse(before, "same key as the earlier result, outputs intact");
    }

    /** A decision of {@link #reuse}: the result to reuse, if any, and why. */
    public record Reuse(Optional<JobResult> result, String why) {}

    private static String shortHash(String h) {
        return h == null ? "none" : h.length() > 12 ? h.substring(0, 12) : h;
    }

    private boolean outputsIntact(JobResult r) {
        try {
            for (JobResult.Output o : r.outputs()) {
                for (StoredValue v : o.values()) {
                    if (v.kind() == StoredValue.Kind.MEMORY) {
                        return false;
                    }
                    if (v.kind() == StoredValue.Kind.TEXT || v.kind() == StoredValue.Kind.TRANSIENT) {
                        continue;
                    }
                    URI u = URI.create(v.text());
                    if (v.length() >= 0 ? storage.length(u) != v.length() : !storage.exists(u)) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
