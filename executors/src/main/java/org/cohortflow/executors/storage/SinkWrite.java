package org.cohortflow.executors.storage;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.cohortflow.executors.task.TaskWorker;
import org.cohortflow.executors.task.Work;

/**
 * Writes one sink output and its provenance, atomically each, where the task runs (so that file data
 * goes from storage to storage without passing through the driver).
 *
 * @param text       the content for values of value types, else null
 * @param copyFrom   URI of stored data to copy, else null
 * @param provenance the PROV-JSON document written to {@code <target>.prov.json}
 */
public record SinkWrite(String sink, String sample, String target, String text, String copyFrom, String provenance)
        implements Work<SinkWrite.Result> {
    private static final long serialVersionUID = 1L;

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
}
