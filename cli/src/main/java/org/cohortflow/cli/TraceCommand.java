package org.cohortflow.cli;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.executors.trace.RunTrace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohortflow trace}: what went wrong in a run, down to one job, read from its run folder (like {@code fastr trace}). */
@Command(name = "trace", mixinStandardHelpOptions = true,
        header = "Shows the failed samples of a run, or one job in full.",
        description = {"With a run folder only: the run's failed and missing jobs with their causes. With NODE: that "
                + "node's jobs and their states. With NODE/SAMPLE: one job in full: its inputs (values, files and "
                + "their SHA-256), command line, exit code, outputs, the end of its stdout and stderr, its cache key "
                + "and why it ran (or was reused), and its provenance back to the sources. Reads only the run folder "
                + "(events.jsonl and the jobs' job.json), so it works on a finished, failed or killed run."},
        footer = {"", "Examples:",
                "  cohortflow trace /tmp/cf-trace-work/traced",
                "  cohortflow trace /tmp/cf-trace-work/traced count",
                "  cohortflow trace /tmp/cf-trace-work/traced count/three",
                "(the run of docs/execution.md, 'Tracing a failure')",
                "", "Exit codes: 0 shown, 1 no such job or node, 2 not a run folder or a usage error."})
final class TraceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORK/RUN", description = "The run folder (a path or a Hadoop URI).")
    String runDir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NODE[/SAMPLE]", description = "A node, or one job of it.")
    String job;

    @Option(names = "--hadoop", paramLabel = "KEY=VALUE", description = "A Hadoop storage setting (e.g. fs.defaultFS); repeatable.")
    Map<String, String> hadoopConf = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() {
        RunTrace trace = new RunTrace(new Storage(hadoopConf), Storage.toUri(runDir));
        try {
            String out;
            if (job == null) {
                out = trace.failures();
            } else if (job.contains("/")) {
                int slash = job.indexOf('/');
                out = trace.job(job.substring(0, slash), job.substring(slash + 1));
            } else {
                out = trace.node(job);
            }
            spec.commandLine().getOut().print(out);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("cohortflow trace: " + e.getMessage());
            return e.getMessage().contains("is not a run folder") ? 2 : 1;
        } catch (IOException e) {
            spec.commandLine().getErr().println("cohortflow trace: cannot read " + runDir + ": " + e.getMessage());
            return 2;
        }
    }
}
