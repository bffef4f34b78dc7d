package org.cohortflow.executors.storage;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Where things live in a run folder {@code <work>/<run-id>/}: one folder per job,
 * {@code <node>/<sample>/}, holding {@code job.json}, the tool's stdout and stderr and {@code out/} with
 * the stored output data; beside them {@code events.jsonl}, {@code report.json} and {@code report.html}.
 */
public final class RunLayout {
    public static final String EVENTS = "events.jsonl";
    /**
     * Content hashes of file inputs with their stamps ({@code cache.InputHashes}), in the work folder beside the run
     * folders (shared by the runs of a work folder); a dot keeps it apart from them.
     */
    public static final String INPUT_HASHES = ".input-hashes";
    public static final String REPORT = "report.json";
    /** The run's report as a self-contained page ({@code RunReportPage}). */
    public static final String REPORT_HTML = "report.html";

    private RunLayout() {}

    /** Where the input hashes of the runs of {@code runDir}'s work folder are kept: {@code <work>/.input-hashes}. */
    public static URI inputHashes(URI runDir) {
        org.apache.hadoop.fs.Path work = new org.apache.hadoop.fs.Path(runDir).getParent();
        return Storage.resolve(work == null ? runDir : work.toUri(), INPUT_HASHES);
    }

    public static URI jobDir(URI runDir, String node, String sampleName) {
        return Storage.resolve(runDir, safe(node), safe(sampleName));
    }

    /**
     * A path segment for a name: letters, digits, {@code . _ -} kept, anything else as {@code ~XX} hex, so
     * that sample ids taken from file names cannot escape the run folder or collide.
     */
    public static String safe(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                    || (c == '.' && sb.length() > 0)) {
                sb.append(c);
            } else {
                sb.append('~').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.length() == 0 ? "~" : sb.toString();
    }
}
