package org.cohortflow.executors.task;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * What happened to a job: stored in its folder as {@code job.json} (the cache record) and returned to
 * the driver. Small by construction: values are inline text or locations.
 *
 * @param key      the job's content address (tool, input hashes, parameters); equal keys, equal results
 * @param cached   true when this run reused the result of an earlier run instead of running the tool
 * @param command  the rendered command line of a command-line tool, else null
 * @param exitCode the exit code of a command-line tool, else null
 * @param error    why the job failed or is missing, else null
 * @param start    epoch milliseconds when the tool started
 * @param warnings what the tool accepted although it was not as it should be (e.g. an RTSTRUCT whose ROI names a
 *                 stale frame of reference): the job succeeded, and its record, trace and provenance say so
 */
public record JobResult(String node, List<String> sample, String tool, Status status, String key, boolean cached,
                        List<Output> outputs, List<Used> inputs, String command, Integer exitCode, String error,
                        String stderrTail, String host, long start, long end, String folder, List<String> warnings)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public JobResult {
        sample = List.copyOf(sample);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        warnings = warnings == null ? List.of() : List.copyOf(warnings); // records written before warnings existed
    }

    /** A result without warnings. */
    public JobResult(String node, List<String> sample, String tool, Status status, String key, boolean cached,
                     List<Output> outputs, List<Used> inputs, String command, Integer exitCode, String error,
                     String stderrTail, String host, long start, long end, String folder) {
        this(node, sample, tool, status, key, cached, outputs, inputs, command, exitCode, error, stderrTail, host,
                start, end, folder, List.of());
    }

    /** Outcome of a job. */
    public enum Status { SUCCEEDED, FAILED, MISSING }

    /** The values of one output port. */
    public record Output(String port, List<StoredValue> values) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Output {
            values = List.copyOf(values);
        }
    }

    /**
     * One input value as used, for provenance: where it came from and its hash.
     *
     * @param origin   {@code source}, {@code literal} or {@code job}
     * @param ref      source id, literal text, or producing {@code node/sample}
     * @param location URI of file data, else null
     * @param value    the value as text when a source gave it (not a file), for {@code cohortflow trace}; else null
     */
    public record Used(String port, int index, String origin, String ref, String producerPort, int producerIndex,
                       String type, String location, String hash, String value) implements Serializable {
        private static final long serialVersionUID = 2L;

        /** An input whose value is a file, a literal (its {@code ref}) or another job's output. */
        public Used(String port, int index, String origin, String ref, String producerPort, int producerIndex,
                    String type, String location, String hash) {
            this(port, index, origin, ref, producerPort, producerIndex, type, location, hash, null);
        }
    }

    public String sampleName() {
        return sample.isEmpty() ? "all" : String.join("__", sample);
    }

    public String label() {
        return node + "/" + sampleName();
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    public Optional<Output> output(String port) {
        return outputs.stream().filter(o -> o.port().equals(port)).findFirst();
    }

    public JobResult asCached() {
        return new JobResult(node, sample, tool, status, key, true, outputs, inputs, command, exitCode, error,
                stderrTail, host, start, end, folder, warnings);
    }

    /** A job that did not run because of {@code why}. */
    public static JobResult missing(String node, List<String> sample, String tool, String why) {
        return new JobResult(node, sample, tool, Status.MISSING, null, false, List.of(), List.of(), null, null, why,
                null, null, 0, 0, null);
    }
}
