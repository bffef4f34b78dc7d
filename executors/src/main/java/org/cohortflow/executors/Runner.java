package org.cohortflow.executors;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.executors.monitor.MonitorReporter;
import org.cohortflow.executors.monitor.MonitorSettings;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.storage.RunLayout;
import org.cohortflow.executors.storage.Storage;

/**
 * The entry point behind {@code cohortflow run}: reads the network and tools, binds the sources, runs on
 * the chosen executor, prints the summary and returns the report with the process exit code.
 *
 * <pre>
 * cohortflow run NETWORK.yaml --source ID=URI [--source ID=URI ...] [--samples SHEET.csv]
 *                [--tools DIR ...] [--executor local|spark] [--master URL] [--work DIR]
 *                [--out DIR] [--sink ID=URL ...]
 *                [--run-id ID] [--resume] [--parallelism N] [--task-retries N]
 *                [--conf KEY=VALUE ...] [--spark-ui on|off] [--hadoop KEY=VALUE ...] [--progress auto|on|off]
 *                [--timeout DURATION]
 * </pre>
 *
 * <dl>
 *   <dt>{@code NETWORK.yaml}</dt><dd>the network to run ({@link RunRequest#network()}).</dd>
 *   <dt>{@code --source ID=URI}</dt><dd>data for source {@code ID}, repeatable. For file-typed sources a path
 *       or URI ({@code file:}, {@code hdfs:}, ...) of one file or folder, or a glob ({@code /data/*.nii.gz}):
 *       one sample per match, the sample id being the name without the type's extension. For value-typed
 *       sources {@code ID=S1:V1,S2:V2} (sample ids and literals) or {@code ID=V1,V2} (each value its
 *       own sample id). See {@link SourceBinding}.</dd>
 *   <dt>{@code --samples SHEET.csv}</dt><dd>a sample sheet: header {@code sample_id,SOURCE,...}, one row per
 *       sample, a URI, glob or literal per source; an empty cell = no data (reported as missing). Combined
 *       with {@code --source} arguments, which are added to it.</dd>
 *   <dt>{@code --tools DIR}</dt><dd>folders with command-line tool YAML files, repeatable. Java tools come
 *       from the class path.</dd>
 *   <dt>{@code --executor local|spark}</dt><dd>{@code local} (default): a thread pool in this process.
 *       {@code spark}: Apache Spark, embedded {@code local[*]} unless {@code --master} is given or spark-submit named one
 *       (needs {@code cohortflow-executors-spark} on the class path; executors are found by name through
 *       {@link ExecutorProviders}).</dd>
 *   <dt>{@code --master URL}</dt><dd>Spark master: {@code local[N]}, {@code spark://host:7077}, {@code yarn},
 *       {@code k8s://...}. Only with {@code --executor spark}.</dd>
 *   <dt>{@code --work DIR}</dt><dd>work folder, a path or a Hadoop URI ({@code hdfs://nn/work}); the run
 *       folder {@code <work>/<run-id>/} holds one folder per job ({@code <node>/<sample>/}),
 *       {@code events.jsonl} and {@code report.json}. Default {@code cohortflow-work} in the current folder.</dd>
 *   <dt>{@code --out DIR}</dt><dd>the folder relative sink url templates are resolved against; default
 *       {@code cohortflow-out/<run-id>} in the current folder ({@link SinkLocations}).</dd>
 *   <dt>{@code --sink ID=URL}</dt><dd>replaces sink {@code ID}'s url template, repeatable.</dd>
 *   <dt>{@code --run-id ID}</dt><dd>name of the run folder; default the network id.</dd>
 *   <dt>{@code --resume}</dt><dd>continue an existing run folder: jobs whose cache record matches their
 *       content key (tool id and version, input content hashes, parameters) and whose outputs are intact
 *       are skipped; everything that changed, failed or never finished runs again. Without it an existing
 *       run folder is an error.</dd>
 *   <dt>{@code --parallelism N}</dt><dd>local executor threads (default: one per processor).</dd>
 *   <dt>{@code --task-retries N}</dt><dd>Spark retries of a task that failed for a transient reason
 *       (default 3). Tools that fail are reported, not retried.</dd>
 *   <dt>{@code --conf KEY=VALUE}</dt><dd>a Spark setting, repeatable; {@code spark.eventLog.*} turn on Spark's
 *       event log for the History Server, where each Spark job is described by network, run, batch and nodes.</dd>
 *   <dt>{@code --spark-ui on|off}</dt><dd>Spark's web UI, on by default where a port from 4040 up is free; its
 *       address is printed when the run starts.</dd>
 *   <dt>{@code --hadoop KEY=VALUE}</dt><dd>a Hadoop storage setting (e.g. {@code fs.defaultFS}), repeatable.</dd>
 *   <dt>{@code --timeout DURATION}</dt><dd>how long a job of a tool that sets no {@code timeout} of its own may
 *       run ({@code 30s}, {@code 10m}, {@code 2h}; default {@code 1h}); a job past its timeout fails, its
 *       process tree killed (command-line tools) or its thread interrupted and abandoned (Java tools).</dd>
 *   <dt>{@code --progress auto|on|off}</dt><dd>the console progress bar; {@code auto} draws it on a
 *       terminal when the run lasts more than a few seconds.</dd>
 * </dl>
 *
 * <p>Exit codes ({@link #execute}): 0 when every job succeeded and every sink output was written, 1 when
 * any job failed or any result is missing (the summary and {@code report.json} list each with node,
 * sample, command, exit code and the tail of stderr), 2 when the run could not start (invalid network,
 * bad arguments, existing run folder without {@code --resume}).
 */
public final class Runner {
    private Runner() {}

    /** What a run gave. */
    public record Result(RunReport report, int exitCode) {}

    /**
     * Runs a request. Throws {@link InvalidDefinitionException} for an invalid network (every problem with
     * file and line), {@link IllegalArgumentException} for bad arguments, {@link IllegalStateException}
     * when the run folder exists without {@code resume}.
     */
    public static Result run(RunRequest request) {
        return run(request, Optional.empty());
    }

    /** As {@link #run(RunRequest)}, reporting the run's network and events to a monitor when one is given. */
    public static Result run(RunRequest request, Optional<MonitorSettings> monitor) {
        return run(request, monitor, SinkLocations.DEFAULT);
    }

    /**
     * As {@link #run(RunRequest, Optional)}, with the sinks written where {@code sinks} says ({@code --out},
     * {@code --sink}).
     */
    public static Result run(RunRequest request, Optional<MonitorSettings> monitor, SinkLocations sinks) {
        NetworkYaml.Loaded loaded = NetworkYaml.read(request.network());
        ToolSet tools = ToolSet.load(request.toolDirs());
        Storage storage = new Storage(request.hadoopConf());
        SourceData data = new SourceBinding(loaded.network(), tools.registry().types(), storage)
                .bind(request.sources(), request.samples());
        return run(request, loaded, tools, data, monitor, sinks);
    }

    /**
     * Runs a request on source data bound by the caller (e.g. the CLI's own source options); the request's
     * sources and sample sheet are ignored.
     */
    public static Result run(RunRequest request, SourceData data) {
        return run(request, NetworkYaml.read(request.network()), ToolSet.load(request.toolDirs()), data, Optional.empty(),
                SinkLocations.DEFAULT);
    }

    private static Result run(RunRequest request, NetworkYaml.Loaded loaded, ToolSet tools, SourceData data,
                              Optional<MonitorSettings> monitor, SinkLocations sinks) {
        Network withFiles = FileLiterals.resolve(loaded.network(), tools.registry(),
                request.network().toAbsolutePath().getParent());
        Network network = sinks.apply(withFiles, request.runId().orElse(withFiles.id()));
        RunSpec spec = new RunSpec(network, loaded.locator(), tools, data, Storage.toUri(request.work()),
                request.runId().orElse(null), request.resume(), request.hadoopConf(), request.progress(), request.console(),
                request.writes(), request.execution());
        MonitorReporter reporter = monitor.map(m -> MonitorReporter.forRun(m, spec)).orElse(null);
        try (Executor executor = executor(request)) {
            executor.uiUrl().ifPresent(u -> request.console().println(
                    (executor.name().equals("spark") ? "Spark" : executor.name()) + " UI (while the run lasts): " + u));
            RunReport report = new RunEngine(executor, reporter == null ? List.of() : List.of(reporter)).run(spec);
            request.console().print(report.summary());
            // Where each sink writes, as resolved for this run (relative templates under --out, --sink overrides).
            network.sinks().forEach(sk -> request.console().println("sink " + sk.id() + ": " + sk.url()));
            request.console().println("report page: " + Storage.resolve(URI.create(report.runDir()), RunLayout.REPORT_HTML));
            if (reporter != null) {
                reporter.finished(report);
            }
            return new Result(report, report.exitCode());
        } finally {
            if (reporter != null) {
                reporter.close();
                request.console().println(Optional.ofNullable(reporter.problemSummary()).orElse("monitor: " + reporter.page()));
            }
        }
    }

    /** Runs a request and turns every error into a message on the console and exit code 2. */
    public static int execute(RunRequest request) {
        try {
            return run(request).exitCode();
        } catch (InvalidDefinitionException | IllegalArgumentException | IllegalStateException e) {
            request.console().println("cohortflow run: " + e.getMessage());
            return 2;
        }
    }

    /**
     * The master to run on: {@code --master} when given, else the one {@code spark-submit} passed (it sets the
     * {@code spark.master} system property of the driver), else the embedded {@code local[*]}. So under
     * spark-submit the master is named once, where Spark users expect it.
     */
    public static String sparkMaster(Optional<String> flag, Properties system) {
        return flag.orElseGet(() -> system.getProperty("spark.master", "local[*]"));
    }

    private static Executor executor(RunRequest r) {
        return ExecutorProviders.create(r.executor(), new ExecutorSettings(Math.max(0, r.parallelism()), r.master(),
                r.taskRetries(), r.sparkConf(), r.timeout()));
    }
}
