package org.cohortflow.governance.callback;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.network.Sink;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.Executor;
import org.cohortflow.executors.ExecutorProviders;
import org.cohortflow.executors.ExecutorSettings;
import org.cohortflow.executors.FileLiterals;
import org.cohortflow.executors.RunEngine;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.ToolSet;
import org.cohortflow.executors.monitor.MonitorReporter;
import org.cohortflow.executors.monitor.MonitorSettings;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.governance.workflow.CallbackCatalog;

/**
 * Runs a cohortflow network for the experiment, as one sample named after the experiment, in the
 * callback's own run folder, on the local executor or on Spark (embedded {@code local[N]} or a cluster
 * master). Sources are bound from the experiment: {@code scan:LABEL} is the URL of its scan with that
 * label, {@code var:NAME} the value of a variable, anything else a literal. Sinks write below the run
 * folder instead of where the network file says. The run's outcome is the callback's result; its report
 * and the files each sink wrote come back as output, and {@code outputs: {VARIABLE: SINK}} stores a sink's
 * file location in an experiment variable. With a monitor configured, every run reports its network and job
 * states to it as {@code cohortflow run --monitor} does (a monitor that is down never fails or slows the run),
 * and the output's {@code monitor} is the run's page there.
 *
 * <pre>
 * - name: features
 *   type: pipeline
 *   args:
 *     network: examples/radiomics/dicom-ct.yaml
 *     sources: {ct: "scan:ct", rtstruct: "scan:rtstruct", roi: "var:roi"}
 *     executor: spark          # or local (default)
 *     master: "local[2]"
 *     outputs: {features_csv: cohort_csv}
 * </pre>
 */
public final class PipelineCallback implements CallbackType {
    private final Path root;
    private final String defaultExecutor;
    private final String defaultMaster;
    private final Map<String, String> sparkProperties;
    private final Optional<MonitorSettings> monitor;
    private final Map<String, Executor> sparks = new ConcurrentHashMap<>();

    /**
     * @param root            folder relative network and tool paths are resolved against
     * @param defaultExecutor {@code local} or {@code spark} when a workflow does not say
     * @param defaultMaster   the Spark master when a workflow does not say
     * @param sparkProperties Spark properties for every run (e.g. {@code spark.driver.host}); they override the
     *                        callback's own defaults
     * @param monitor         the monitor every run reports to, if any
     */
    public PipelineCallback(Path root, String defaultExecutor, String defaultMaster, Map<String, String> sparkProperties,
                            Optional<MonitorSettings> monitor) {
        this.root = root;
        this.defaultExecutor = defaultExecutor;
        this.defaultMaster = defaultMaster;
        this.sparkProperties = Map.copyOf(sparkProperties);
        this.monitor = monitor;
    }

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public CallbackCatalog.Arguments arguments() {
        return new CallbackCatalog.Arguments(Set.of("network", "sources"), Set.of("executor", "master", "tools", "outputs", "parallelism"));
    }

    @Override
    public Outcome run(CallbackRequest r) throws Exception {
        Path networkFile = root.resolve(r.text("network", "")).normalize();
        if (!Files.isRegularFile(networkFile)) {
            throw new IllegalArgumentException("network file " + networkFile + " does not exist");
        }
        List<Path> toolDirs = new ArrayList<>();
        if (r.args().get("tools") instanceof List<?> l) {
            l.forEach(t -> toolDirs.add(root.resolve(t.toString())));
        }
        String sample = r.experiment().subject() + "_" + r.experiment().label();
        Map<String, String> bound = new LinkedHashMap<>();
        SourceData data = bind(r, sample, bound);
        NetworkYaml.Loaded loaded = NetworkYaml.read(networkFile);
        ToolSet tools = ToolSet.load(toolDirs);
        Network n = FileLiterals.resolve(loaded.network(), tools.registry(), networkFile.getParent());
        Path out = r.workDir().resolve("outputs");
        Map<String, String> sinkTemplates = new LinkedHashMap<>();
        List<Sink> sinks = new ArrayList<>();
        for (Sink s : n.sinks()) {
            String file = s.url().substring(s.url().lastIndexOf('/') + 1);
            String url = out.resolve(s.id()).resolve(file).toString();
            sinkTemplates.put(s.id(), url);
            sinks.add(new Sink(s.id(), s.type(), s.from(), url));
        }
        n = new Network(n.id(), n.description(), n.sources(), n.constants(), n.nodes(), sinks);
        Files.createDirectories(r.workDir());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunSpec spec = RunSpec.of(n, loaded.locator(), tools, data, r.workDir().resolve("work").toUri())
                .withProgress(RunSpec.Progress.OFF, new PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8));
        String executorName = r.text("executor", defaultExecutor);
        if (!executorName.equals("spark") && !executorName.equals("local")) {
            throw new IllegalArgumentException("pipeline executor must be local or spark, not '" + executorName + "'");
        }
        MonitorReporter reporter = monitor.map(m -> MonitorReporter.forRun(m, spec)).orElse(null);
        RunReport report;
        try {
            List<MonitorReporter> listeners = reporter == null ? List.of() : List.of(reporter);
            if (executorName.equals("spark")) {
                report = new RunEngine(spark(r.text("master", defaultMaster)), listeners).run(spec);
            } else {
                int threads = Integer.parseInt(r.text("parallelism", "2"));
                try (Executor local = ExecutorProviders.create("local", ExecutorSettings.defaults().withParallelism(threads))) {
                    report = new RunEngine(local, listeners).run(spec);
                }
            }
            if (reporter != null) {
                reporter.finished(report);
            }
        } finally {
            if (reporter != null) {
                reporter.close();
            }
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("network", n.id());
        output.put("executor", executorName);
        output.put("sources", bound); // what each source was bound to: which scan (e.g. which RTSTRUCT) this run read
        output.put("runDir", report.runDir());
        output.put("report", report.runDir() + (report.runDir().endsWith("/") ? "" : "/") + "report.json");
        output.put("succeeded", (long) report.succeeded());
        output.put("failures", (long) report.failures().size());
        if (reporter != null) {
            output.put("monitor", reporter.page().toString());
            if (reporter.problemSummary() != null) {
                output.put("monitorProblem", reporter.problemSummary());
            }
        }
        Map<String, Object> files = new LinkedHashMap<>();
        sinkTemplates.forEach((sink, template) -> written(template, sample).ifPresent(f -> files.put(sink, f)));
        output.put("sinks", files);
        if (report.exitCode() != 0) {
            StringBuilder why = new StringBuilder("pipeline " + n.id() + " failed: ");
            report.failures().stream().limit(3).forEach(f -> why.append(f.node()).append('/').append(f.sample()).append(": ")
                    .append(f.error()).append("; "));
            report.missing().stream().limit(3).forEach(m -> why.append(m.node()).append('/').append(m.sample()).append(" missing: ")
                    .append(m.reason()).append("; "));
            return new Outcome.Finished(false, why.toString(), output, Map.of());
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        if (r.args().get("outputs") instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object f = files.get(e.getValue().toString());
                if (f == null) {
                    return new Outcome.Finished(false, "sink '" + e.getValue() + "' wrote nothing for variable '" + e.getKey() + "'", output, Map.of());
                }
                variables.put(e.getKey().toString(), f);
            }
        }
        return new Outcome.Finished(true, "pipeline " + n.id() + " succeeded: " + report.succeeded() + " job(s)", output, variables);
    }

    private static SourceData bind(CallbackRequest r, String sample, Map<String, String> bound) {
        if (!(r.args().get("sources") instanceof Map<?, ?> sources)) {
            throw new IllegalArgumentException("'sources' must map each network source to scan:LABEL, var:NAME or a literal");
        }
        SourceData.Builder b = SourceData.builder();
        for (Map.Entry<?, ?> e : sources.entrySet()) {
            String value = ExperimentBinding.resolve(e.getValue().toString(), r.experiment(), "source '" + e.getKey() + "'");
            b.add(e.getKey().toString(), sample, value);
            bound.put(e.getKey().toString(), value);
        }
        return b.build();
    }

    /** The file a sink wrote for the sample: its template with the sample id, whatever extension it got. */
    private static Optional<String> written(String template, String sample) {
        String t = template.replace("{sample_id}", sample);
        int ext = t.indexOf("{ext}");
        Path dir = Path.of(t).getParent();
        String prefix = Path.of(ext < 0 ? t : t.substring(0, ext)).getFileName().toString();
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).map(f -> f.toUri().toString()).sorted().findFirst();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private Executor spark(String master) {
        // One Spark session per master for the governor's life: starting one costs seconds. Spark comes from the
        // cohortflow-executors-spark module at run time (ExecutorProviders says so when it is missing).
        return sparks.computeIfAbsent(master, m -> ExecutorProviders.create("spark", ExecutorSettings.defaults()
                .withMaster(m).withTaskRetries(1).withConf(sparkConf(m, sparkProperties))));
    }

    /**
     * The Spark properties of the session for a master. An embedded {@code local[N]} master binds the driver to
     * loopback, where nothing else needs to reach it; a cluster master leaves the driver's address to Spark (the
     * machine's host name) so that executors on other machines can call back, unless the settings name it.
     */
    public static Map<String, String> sparkConf(String master, Map<String, String> configured) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.sql.shuffle.partitions", "2");
        if (master.startsWith("local")) {
            conf.put("spark.driver.host", "127.0.0.1");
            conf.put("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.putAll(configured);
        return conf;
    }

    @Override
    public void close() {
        sparks.values().forEach(Executor::close);
        sparks.clear();
    }
}
