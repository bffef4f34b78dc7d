package org.cohortflow.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cohortflow.dsl.tool.Durations;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.executors.ExecutionPolicy;
import org.cohortflow.executors.RunRequest;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.Runner;
import org.cohortflow.executors.SinkLocations;
import org.cohortflow.executors.WritePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow run}: runs a network over a cohort; see {@link Runner} for the semantics. */
@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Runs a network over a cohort, in this process or on Apache Spark.",
        description = "Runs a network over the samples bound to its sources, in this process (--executor local) or on "
                + "Apache Spark (--executor spark, embedded local[*] unless --master is given). Every job's results and "
                + "logs go to WORK/RUN-ID/NODE/SAMPLE/, with events.jsonl, report.json and report.html in WORK/RUN-ID/ (cohortflow trace shows a failed job in full); sink outputs are "
                + "written atomically where the sinks' urls say (relative ones under --out), each with a W3C PROV-JSON "
                + "document (OUTPUT.prov.json), and the summary prints where each sink wrote.",
        footer = {"",
                  "Examples:",
                  "  cohortflow run examples/networks/add-ints.yaml --source numbers=a:1,b:2 \\",
                  "      --work /tmp/work --out /tmp/sums",
                  "  cohortflow run examples/networks/count-lines.yaml --source 'texts=docs/*.md' \\",
                  "      --run-id lines-on-spark --sink total=/tmp/cohortflow-totals/total.txt \\",
                  "      --executor spark --master 'local[2]'",
                  "  (on a cluster: --master spark://HOST:7077, yarn or k8s://..., and --work hdfs://NAMENODE/work)",
                  "",
                  "Exit codes: 0 every job succeeded and every sink output was written; 1 a job failed or a result is "
                          + "missing (each listed with node, sample, command, exit code and stderr tail); 2 the run could not "
                          + "start (invalid network, bad options, existing run folder without --resume, run folder or sink "
                          + "folder held by another run without --wait)."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ToolOptions tools = new ToolOptions();

    @Mixin
    SourceOptions sources = new SourceOptions();

    @Parameters(paramLabel = "NETWORK.yaml", description = "The network file.")
    Path file;

    @Option(names = "--executor", paramLabel = "local|spark", defaultValue = "local",
            description = "Where jobs run: 'local' (thread pool in this process) or 'spark'. Default: ${DEFAULT-VALUE}.")
    String executor;

    @Mixin
    SparkOptions spark;

    @Mixin
    MonitorOptions monitor = new MonitorOptions();

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "cohortflow-work",
            description = "Work folder, a path or a Hadoop URI (hdfs://...); the run folder is DIR/RUN-ID. "
                    + "Default: ./${DEFAULT-VALUE} (in the current folder).")
    String work;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder, a path or a Hadoop URI: relative sink urls of the network (e.g. "
                    + "subjects/{sample_id}.json) and of --sink are resolved against it. Default: "
                    + "./" + SinkLocations.DEFAULT_OUT + "/RUN-ID (in the current folder).")
    String outDir;

    @Option(names = "--sink", paramLabel = "ID=URL",
            description = "Write sink ID to URL instead of its url in the network: a template with the same placeholders "
                    + "({sample_id}, {ext}, ...), relative (to --out) or absolute; repeatable.")
    Map<String, String> sinkUrls = new LinkedHashMap<>();

    @Option(names = "--run-id", paramLabel = "ID", description = "Name of the run folder; default the network id.")
    String runId;

    @Option(names = "--resume",
            description = "Continue an existing run folder: skip jobs whose content key (tool id and version, input "
                    + "hashes, parameters) matches a completed record; rerun what changed, failed or never finished.")
    boolean resume;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "0",
            description = "Local executor threads; 0 (default) for one per processor.")
    int parallelism;

    @Option(names = "--task-retries", paramLabel = "N", defaultValue = "3",
            description = "Spark attempts after a transient task failure (tools that fail are reported, not retried). Default: ${DEFAULT-VALUE}.")
    int taskRetries;

    @Option(names = "--hadoop", paramLabel = "KEY=VALUE", description = "A Hadoop storage setting (e.g. fs.defaultFS); repeatable.")
    Map<String, String> hadoopConf = new LinkedHashMap<>();

    @Option(names = "--progress", paramLabel = "auto|on|off", defaultValue = "auto",
            description = "Console progress bar: auto draws it on a terminal for runs longer than a few seconds. Default: ${DEFAULT-VALUE}.")
    String progress;

    @Option(names = "--wait", paramLabel = "DURATION", arity = "0..1", fallbackValue = "24h",
            description = "When another run holds the run folder or a sink folder, wait for it (up to DURATION, e.g. "
                    + "30s, 10m, 2h; without a value: 24h) instead of exiting with code 2 at once.")
    String waitForLock;

    @Option(names = "--overwrite",
            description = "Replace sink outputs that another run wrote with different content (without it they are "
                    + "left alone and reported, and the run exits 1).")
    boolean overwrite;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1h",
            description = "How long a job of a tool that sets no timeout of its own may run (30s, 10m, 2h); past it the "
                    + "job fails (its processes killed) and the other samples go on. Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Option(names = "--keep", paramLabel = "all|sinks|none", defaultValue = "all",
            description = "Which job outputs stay in the run folder: all (default: a resumed run reuses every job); "
                    + "sinks (only what another task or a sink reads: a sample's intermediate volumes stay in memory, and "
                    + "a resumed run makes them again only for a job after them that must run); none (as sinks, and "
                    + "after a run that wrote every sink its stored outputs go too: a resumed run runs those jobs again).")
    String keep;

    @Option(names = "--rehash",
            description = "Hash every input file again. By default an input whose files have the path, size and "
                    + "modification time they had when this run folder hashed them keeps that hash.")
    boolean rehash;

    @Override
    public Integer call() {
        PrintStream out = WriterOutputStream.printStream(spec.commandLine().getOut());
        try {
            RunRequest request = new RunRequest(file, tools.folders(), sources.arguments(), sources.sheet(), executor,
                    spark.master(), work, Optional.ofNullable(runId), resume, parallelism, taskRetries,
                    spark.conf, hadoopConf, RunSpec.Progress.valueOf(progress.toUpperCase(java.util.Locale.ROOT)), out)
                    .withWrites(new WritePolicy(waitForLock == null ? Duration.ZERO : Durations.parse(waitForLock), overwrite))
                    .withTimeout(Durations.parse(timeout))
                    .withExecution(ExecutionPolicy.DEFAULT.withKeep(keep(keep)).withRehash(rehash));
            SinkLocations sinks = new SinkLocations(Optional.ofNullable(outDir), sinkUrls);
            return Runner.run(request, monitor.settings(), sinks).exitCode();
        } catch (InvalidDefinitionException e) {
            e.problems().forEach(p -> spec.commandLine().getErr().println(p));
            return 2;
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            // Bad options, sheets, sample ids, busy or unwritable run folders: the run could not start.
            spec.commandLine().getErr().println("cohortflow run: " + e.getMessage());
            return 2;
        } finally {
            out.flush();
        }
    }

    private static ExecutionPolicy.Keep keep(String value) {
        return switch (value) {
            case "all" -> ExecutionPolicy.Keep.ALL;
            case "sinks" -> ExecutionPolicy.Keep.SINKS;
            case "none" -> ExecutionPolicy.Keep.NONE;
            default -> throw new IllegalArgumentException("--keep takes all, sinks or none, not '" + value + "'");
        };
    }
}
