package org.cohortflow.executors;

import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import org.cohortflow.dsl.network.Locator;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.plan.SourceData;

/**
 * One run of a network: what to run, on which data, and where its folder is.
 *
 * @param work       the work folder; the run folder is {@code <work>/<runId>/}
 * @param runId      names the run folder; by default the network id
 * @param resume     continue an existing run folder, reusing every job whose cache record is still valid;
 *                   without it an existing run folder is an error (nothing is ever overwritten silently)
 * @param hadoopConf Hadoop settings for storage, e.g. {@code fs.defaultFS}
 * @param progress   when to draw the console progress bar
 * @param console    where the progress bar goes (usually {@code System.err})
 * @param writes     waiting for folders other runs hold, and replacing their sink outputs
 * @param execution  task forming (fusion), which outputs are kept, and input hashing
 */
public record RunSpec(Network network, Locator locator, ToolSet tools, SourceData data, URI work, String runId,
                      boolean resume, Map<String, String> hadoopConf, Progress progress, PrintStream console,
                      WritePolicy writes, ExecutionPolicy execution) {

    /** A run with the default {@link ExecutionPolicy}. */
    public RunSpec(Network network, Locator locator, ToolSet tools, SourceData data, URI work, String runId,
                   boolean resume, Map<String, String> hadoopConf, Progress progress, PrintStream console,
                   WritePolicy writes) {
        this(network, locator, tools, data, work, runId, resume, hadoopConf, progress, console, writes,
                ExecutionPolicy.DEFAULT);
    }

    public RunSpec {
        java.util.Objects.requireNonNull(execution, "execution");
        hadoopConf = Map.copyOf(hadoopConf);
        if (runId == null || runId.isBlank()) {
            runId = network.id();
        }
        if (!runId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("run id '" + runId + "' may only hold letters, digits, '.', '_' and '-'");
        }
    }

    /** When the console progress bar is drawn. */
    public enum Progress {
        /** When the console is a terminal and the run lasts more than a few seconds. */
        AUTO,
        /** Always (after a few seconds), also when output is redirected. */
        ON,
        OFF
    }

    /** A run with defaults: run id = network id, no resume, default storage settings, progress off. */
    public static RunSpec of(Network network, Locator locator, ToolSet tools, SourceData data, URI work) {
        return new RunSpec(network, locator, tools, data, work, network.id(), false, Map.of(), Progress.OFF, System.err, WritePolicy.SAFE);
    }

    public RunSpec withRunId(String id) {
        return new RunSpec(network, locator, tools, data, work, id, resume, hadoopConf, progress, console, writes, execution);
    }

    public RunSpec withResume(boolean r) {
        return new RunSpec(network, locator, tools, data, work, runId, r, hadoopConf, progress, console, writes, execution);
    }

    public RunSpec withHadoopConf(Map<String, String> conf) {
        return new RunSpec(network, locator, tools, data, work, runId, resume, conf, progress, console, writes, execution);
    }

    public RunSpec withProgress(Progress p, PrintStream out) {
        return new RunSpec(network, locator, tools, data, work, runId, resume, hadoopConf, p, out, writes, execution);
    }

    public RunSpec withWrites(WritePolicy w) {
        return new RunSpec(network, locator, tools, data, work, runId, resume, hadoopConf, progress, console, w, execution);
    }

    public RunSpec withExecution(ExecutionPolicy e) {
        return new RunSpec(network, locator, tools, data, work, runId, resume, hadoopConf, progress, console, writes, e);
    }

    public RunSpec withData(SourceData d) {
        return new RunSpec(network, locator, tools, d, work, runId, resume, hadoopConf, progress, console, writes, execution);
    }
}
