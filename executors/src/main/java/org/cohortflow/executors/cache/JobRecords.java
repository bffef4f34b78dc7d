package org.cohortflow.executors.cache;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
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

    private boolean outputsIntact(JobResult r) {
        try {
            for (JobResult.Output o : r.outputs()) {
                for (StoredValue v : o.values()) {
                    if (v.kind() == StoredValue.Kind.MEMORY) {
                        return false;
                    }
                    if (v.kind() == StoredValue.Kind.TEXT) {
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
