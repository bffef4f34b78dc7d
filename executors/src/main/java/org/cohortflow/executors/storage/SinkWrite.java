package org.cohortflow.executors.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.cohortflow.executors.task.TaskWorker;
import org.cohortflow.executors.task.Work;

/**
 * Writes one sink output and its provenance, atomically each, where the task runs (so that file data
 * goes from storage to storage without passing through the driver).
 *
 * <p>An output that is already there is replaced only when this run wrote it (a resumed run), when it
 * holds the same content, or when the user said {@code --overwrite}: another run's results are never
 * replaced silently. Who wrote an output is read from its provenance document ({@code cf:runFolder}).
 *
 * @param text       the content for values of value types, else null
 * @param copyFrom   URI of stored data to copy, else null
 * @param provenance the PROV-JSON document written to {@code <target>.prov.json}
 * @param runFolder  the folder of the writing run, which owns the output from then on
 * @param hash       SHA-256 of the content to write, or null when unknown
 * @param overwrite  replace another run's output with different content
 */
public record SinkWrite(String sink, String sample, String target, String text, String copyFrom, String provenance,
                        String runFolder, String hash, boolean overwrite) implements Work<SinkWrite.Result> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Suffix of the provenance document beside each output. */
    public static final String PROVENANCE_SUFFIX = ".prov.json";

    /** @param error null when written */
    public record Result(String sink, String sample, String target, String error) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public Result run(TaskWorker worker) {
        Storage s = worker.storage();
        URI t = URI.create(target);
        try {
            String refusal = overwrite ? null : refusal(s, t);
            if (refusal != null) {
                return new Result(sink, sample, target, refusal);
            }
            if (text != null) {
                s.writeAtomically(t, text.getBytes(StandardCharsets.UTF_8));
            } else {
                s.copyAtomically(URI.create(copyFrom), t);
            }
            s.writeAtomically(URI.create(target + PROVENANCE_SUFFIX), provenance.getBytes(StandardCharsets.UTF_8));
            return new Result(sink, sample, target, null);
        } catch (IOException | RuntimeException e) {
            return new Result(sink, sample, target, "cannot write " + target + ": " + e);
        }
    }

    /** Why the existing output at {@code t} must not be replaced, or null when it may be. */
    private String refusal(Storage s, URI t) throws IOException {
        if (!s.exists(t)) {
            return null;
        }
        URI prov = URI.create(target + PROVENANCE_SUFFIX);
        String owner = null;
        String existingHash = null;
        if (s.exists(prov)) {
            try {
                JsonNode entities = JSON.readTree(s.read(prov)).path("entity");
                for (Iterator<JsonNode> it = entities.elements(); it.hasNext(); ) {
                    JsonNode e = it.next();
                    if ("cf:SinkOutput".equals(e.path("prov:type").asText())) {
                        owner = e.path("cf:runFolder").asText(null);
                        existingHash = e.path("cf:sha256").asText(null);
                    }
                }
            } catch (IOException e) {
                // An unreadable provenance document names no owner: treat the output as someone else's.
            }
        }
        if (runFolder.equals(owner)) {
            return null;
        }
        String mine = hash;
        if (mine == null && copyFrom != null) {
            mine = s.contentHash(URI.create(copyFrom));
        }
        if (mine != null && mine.equals(existingHash != null ? existingHash : s.contentHash(t))) {
            return null; // the same bytes: replacing them loses nothing
        }
        return "not written: " + target + " exists with other content, written by "
                + (owner != null ? "the run in " + owner : "something other than a cohortflow run")
                + "; pass --overwrite to replace it, or choose another sink folder";
    }
}
