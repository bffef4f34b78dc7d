package org.cohortflow.benchmarks.cohort;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.ExecutionPolicy;
import org.cohortflow.executors.Executor;
import org.cohortflow.executors.ExecutorProviders;
import org.cohortflow.executors.ExecutorSettings;
import org.cohortflow.executors.FileLiterals;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.ToolSet;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.imaging.index.SeriesSample;
import org.cohortflow.imaging.pipeline.DicomCohortSource;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;

/**
 * The cohort benchmark: the radiomics network (DICOM CT + RTSTRUCT -> volume + mask -> IBSI features ->
 * cohort table) over a synthetic or given cohort, measured several ways in one run so that the ratios are
 * taken under the same conditions:
 * <ol>
 *   <li>the bare tool chain in this JVM, one subject after the other, after an untimed warm-up pass: the
 *       time spent inside tools;</li>
 *   <li>the network on each requested executor ({@code local}: thread pool, {@code spark}: {@code local[N]}
 *       or a cluster) with each requested number of cores;</li>
 *   <li>the process-per-job baseline (one new JVM per job, data through files, as fastr does).</li>
 * </ol>
 * Writes {@code cohort-bench.json} and {@code cohort-bench.html} into the output folder.
 */
public final class CohortBenchmark {
    private static final String NETWORK = "radiomics-dicom.yaml";
    private static final String SETTINGS = "ct-settings.yaml";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What to run.
     *
     * @param executors        {@code local} and/or {@code spark}
     * @param cores            core counts to run each executor with (scaling)
     * @param master           a Spark master URL for the spark runs; empty: {@code local[N]} per core count
     * @param subjects         synthetic subjects to write, or at most this many of a given cohort (0: all)
     * @param cohort           a DICOM tree to use instead of a synthetic cohort
     * @param out              where the cohort (if synthetic), run folders and reports go
     * @param work             the executors' work folder (default {@code out/work}); on a cluster a path every
     *                         machine sees at the same place
     * @param network          a network to run instead of the bundled one; it must have the series and
     *                         RTSTRUCT sources named below (and may have a {@code roi} source) and use the
     *                         chain's tools; {@code FeatureTableJson} and {@code ParquetWrite} nodes are
     *                         matched in the bare chain and the baseline when it has them
     * @param settings         IBSI settings for the bare chain and the baseline (default: the bundled CT
     *                         settings, which the bundled network uses)
     * @param baselineSubjects subjects for the process-per-job baseline; 0 skips it, negative: all
     * @param reps             timed repetitions of the bare chain and of each executor run; the fastest counts
     * @param sparkConf        extra Spark settings
     * @param execution        the runs' execution policy (which outputs they keep, task forming)
     */
    public record Options(List<String> executors, List<Integer> cores, Optional<String> master, int subjects,
                          Optional<Path> cohort, Path out, Optional<Path> work, long seed, String roi, String modality,
                          String seriesSource, String rtstructSource, Optional<Path> network, Optional<Path> settings,
                          int baselineSubjects, int baselineParallelism, int reps, Map<String, String> sparkConf,
                          ExecutionPolicy execution) {
        /** Options for runs with the default execution policy. */
        public Options(List<String> executors, List<Integer> cores, Optional<String> master, int subjects,
                       Optional<Path> cohort, Path out, Optional<Path> work, long seed, String roi, String modality,
                       String seriesSource, String rtstructSource, Optional<Path> network, Optional<Path> settings,
                       int baselineSubjects, int baselineParallelism, int reps, Map<String, String> sparkConf) {
            this(executors, cores, master, subjects, cohort, out, work, seed, roi, modality, seriesSource, rtstructSource,
                    network, settings, baselineSubjects, baselineParallelism, reps, sparkConf, ExecutionPolicy.DEFAULT);
        }

        public Options {
            executors = List.copyOf(executors);
            cores = List.copyOf(cores);
            sparkConf = Map.copyOf(sparkConf);
            for (String e : executors) {
                if (!e.equals("local") && !e.equals("spark")) {
                    throw new IllegalArgumentException("executor must be local or spark, not '" + e + "'");
                }
            }
            if (reps < 1) {
                throw new IllegalArgumentException("repetitions must be at least 1: " + reps);
            }
            if (cores.isEmpty() || cores.stream().anyMatch(c -> c < 1)) {
                throw new IllegalArgumentException("core counts must be at least 1: " + cores);
            }
        }
    }

    private final Options o;
    private final PrintStream log;

    public CohortBenchmark(Options options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    /** Runs everything and writes the JSON and HTML reports; returns what was measured. */
    public CohortBenchResult run() throws Exception {
        String date = OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Files.createDirectories(o.out());
        Path out = o.out().toAbsolutePath();

        long t0 = System.nanoTime();
        Path root;
        Long seed = null;
        if (o.cohort().isPresent()) {
            root = o.cohort().get().toAbsolutePath();
        } else {
            seed = o.seed();
            log.printf(Locale.ROOT, "writing a synthetic cohort of %d subjects (seed %d) ...%n", o.subjects(), o.seed());
            new SyntheticCohort(SynthOptions.defaults(), o.seed()).write(out.resolve("cohort"), o.subjects(), 2);
            root = SyntheticCohort.dicomRoot(out.resolve("cohort"));
        }
        List<ToolChain.Subject> subjects = discover(root);
        double prepareMs = (System.nanoTime() - t0) / 1e6;
        CohortBenchResult.Cohort cohort = new CohortBenchResult.Cohort(o.cohort().isPresent() ? "dicom" : "synthetic",
                root.toString(), subjects.size(), seed, o.roi(), Math.round(prepareMs));
        log.printf(Locale.ROOT, "%d subjects with a %s series and an RTSTRUCT under %s%n", subjects.size(), o.modality(), root);

        Path networkDir = Files.createDirectories(out.resolve("network"));
        Path networkFile;
        if (o.network().isPresent()) {
            networkFile = o.network().get().toAbsolutePath();
        } else {
            copyResource(SETTINGS, networkDir);
            networkFile = copyResource(NETWORK, networkDir);
        }
        ToolSet toolSet = ToolSet.load(List.of());
        Network probe = network(networkFile, toolSet, out.resolve("runs/probe")).network();
        // The bare chain and the baseline use the settings the network gives its IBSI node, unless told otherwise.
        Path settings = o.settings().map(Path::toAbsolutePath).or(() -> ibsiSettings(probe))
                .orElseGet(() -> copyResource(SETTINGS, networkDir));
        Set<String> used = new HashSet<>();
        probe.nodes().forEach(n -> used.add(n.tool().toString()));
        ToolChain chain = new ToolChain(toolSet.registry(), settings.toUri(), o.roi(), used);

        CohortBenchResult.ToolTimes toolTimes = bareChain(chain, subjects, out.resolve("tools"));
        List<String> reference = sortedLines(out.resolve("tools/cohort.csv"));

        // examples/radiomics networks take the ROI name as a source (it may differ per subject).
        boolean hasRoiSource = probe.source("roi").isPresent();
        SourceData.Builder data = SourceData.builder();
        for (ToolChain.Subject s : subjects) {
            data.add(o.seriesSource(), s.id(), s.series().toString());
            data.add(o.rtstructSource(), s.id(), s.rtstruct().toString());
            if (hasRoiSource) {
                data.add("roi", s.id(), o.roi());
            }
        }
        Path work = o.work().map(Path::toAbsolutePath).orElse(out.resolve("work"));
        List<CohortBenchResult.Run> runs = new ArrayList<>();
        for (String executor : o.executors()) {
            for (int cores : o.cores()) {
                runs.add(executorRun(executor, cores, networkFile, out, work, toolSet, data.build(), subjects.size(),
                        toolTimes, reference));
            }
        }

        CohortBenchResult.Baseline baseline = null;
        if (o.baselineSubjects() != 0) {
            baseline = baseline(subjects, settings, chain, out.resolve("baseline"), reference);
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        CohortBenchResult.Machine machine = new CohortBenchResult.Machine(host(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory() >> 20, loadBefore, loadAfter);
        CohortBenchResult result = new CohortBenchResult(date, machine, cohort,
                o.network().isPresent() ? networkFile.toString() : "bundled " + NETWORK, toolTimes, runs, baseline);
        JSON.writeValue(out.resolve("cohort-bench.json").toFile(), result);
        Files.writeString(out.resolve("cohort-bench.html"), HtmlReport.render(result));
        return result;
    }

    private List<ToolChain.Subject> discover(Path root) {
        List<ToolChain.Subject> subjects = new ArrayList<>();
        for (DicomCohortSource.Sample s : DicomCohortSource.discover(root, SeriesSample.modality(o.modality()), 2)) {
            if (s.rtstruct().isPresent()) {
                // FOLDER?series=UID, as cohortflow index writes it: a folder holding several series works too.
                subjects.add(new ToolChain.Subject(s.id(), s.seriesRef().uri(), s.rtstruct().get()));
            }
        }
        if (o.cohort().isPresent() && o.subjects() > 0 && subjects.size() > o.subjects()) {
            subjects = subjects.subList(0, o.subjects());
        }
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException(root + " holds no " + o.modality() + " series with an RTSTRUCT");
        }
        return List.copyOf(subjects);
    }

    /** The tools alone: a warm-up pass (JIT), then timed passes; the fastest one's table is the reference. */
    private CohortBenchResult.ToolTimes bareChain(ToolChain chain, List<ToolChain.Subject> subjects, Path dir) throws Exception {
        log.println("bare tool chain: warm-up pass ...");
        long w0 = System.nanoTime();
        Map<String, Double> ignored = new HashMap<>();
        List<Object> tables = new ArrayList<>();
        for (ToolChain.Subject s : subjects) {
            tables.add(chain.features(s, dir.resolve("warm-up"), ignored));
        }
        chain.merge(tables, dir.resolve("warm-up"), ignored);
        double warmup = (System.nanoTime() - w0) / 1e6;

        Map<String, Double> times = null;
        double total = Double.MAX_VALUE;
        for (int rep = 1; rep <= o.reps(); rep++) {
            log.printf(Locale.ROOT, "bare tool chain: timed pass %d of %d ...%n", rep, o.reps());
            Map<String, Double> pass = new LinkedHashMap<>();
            ToolChain.TOOLS.stream().filter(chain::runs).forEach(t -> pass.put(t, 0.0));
            tables.clear();
            Path passDir = dir.resolve("timed-" + rep);
            for (ToolChain.Subject s : subjects) {
                tables.add(chain.features(s, passDir, pass));
            }
            Object table = chain.merge(tables, passDir, pass);
            double sum = pass.values().stream().mapToDouble(Double::doubleValue).sum();
            // The fastest pass: the machine is shared, and other load only ever adds time.
            if (sum < total) {
                total = sum;
                times = pass;
                chain.write("FeatureTable", table, dir.resolve("cohort.csv"));
            }
        }
        log.printf(Locale.ROOT, "  tools: %.0f ms in all, %.0f ms per subject%n", total, total / subjects.size());
        return new CohortBenchResult.ToolTimes(times, total, warmup);
    }

    private CohortBenchResult.Run executorRun(String name, int cores, Path networkFile, Path out, Path work, ToolSet tools,
                                              SourceData data, int subjects, CohortBenchResult.ToolTimes toolTimes,
                                              List<String> reference) throws IOException {
        String runId = name + "-" + cores;
        String master = null;
        double startup = 0;
        Executor executor;
        if (name.equals("local")) {
            executor = ExecutorProviders.create("local", ExecutorSettings.defaults().withParallelism(cores));
        } else {
            master = o.master().orElse("local[" + cores + "]");
            Map<String, String> conf = new HashMap<>();
            if (o.master().isEmpty()) {
                conf.put("spark.driver.host", "127.0.0.1");
                conf.put("spark.driver.bindAddress", "127.0.0.1");
            } else {
                // On a cluster the core count is what the application may take from it.
                conf.put("spark.cores.max", Integer.toString(cores));
            }
            conf.putAll(o.sparkConf());
            long s0 = System.nanoTime();
            executor = ExecutorProviders.create("spark", ExecutorSettings.defaults().withMaster(master).withTaskRetries(0).withConf(conf));
            startup = (System.nanoTime() - s0) / 1e6;
        }
        int slots = executor.parallelism();
        log.printf(Locale.ROOT, "%s with %d core(s), parallelism %d%s ...%n", name, cores, slots, master == null ? "" : " on " + master
                + String.format(Locale.ROOT, " (session start-up %.1f s, not counted)", startup / 1000));
        RunReport report;
        double wall;
        List<Double> walls = new ArrayList<>();
        try (executor) {
            if (master != null && !master.startsWith("local")) {
                // Executors on a cluster are new JVMs: let them load classes and compile before timing.
                NetworkYaml.Loaded w = network(networkFile, tools, out.resolve("runs").resolve(runId + "-warm-up"));
                executor.run(RunSpec.of(w.network(), w.locator(), tools, data, work.toUri()).withRunId(runId + "-warm-up")
                        .withExecution(o.execution()));
            }
            report = null;
            wall = Double.MAX_VALUE;
            for (int rep = 1; rep <= o.reps(); rep++) {
                String repId = o.reps() == 1 ? runId : runId + "-r" + rep;
                NetworkYaml.Loaded n = network(networkFile, tools, out.resolve("runs").resolve(repId));
                long t0 = System.nanoTime();
                RunReport r = executor.run(RunSpec.of(n.network(), n.locator(), tools, data, work.toUri()).withRunId(repId)
                        .withExecution(o.execution()));
                double ms = (System.nanoTime() - t0) / 1e6;
                walls.add(ms);
                if (r.exitCode() != 0 || ms < wall) {
                    report = r;
                    wall = ms;
                }
                if (r.exitCode() != 0) {
                    break;
                }
            }
        }
        if (report.exitCode() != 0) {
            throw new IllegalStateException("the " + runId + " run failed:\n" + report.summary());
        }
        Path runDir = Path.of(URI.create(report.runDir()));
        RunTimings timings = RunTimings.read(runDir);
        List<CohortBenchResult.Stage> stages = new ArrayList<>();
        for (RunTimings.Node n : timings.nodes()) {
            stages.add(new CohortBenchResult.Stage(n.node(), n.tool(), n.jobs(), n.spanMs(), n.jobMs(),
                    toolTimes.perTool().get(n.tool())));
        }
        boolean same = timings.byTool(ToolChain.MERGE).filter(n -> !n.outputs().isEmpty())
                .map(n -> sortedLines(Path.of(n.outputs().get(0))).equals(reference)).orElse(false);
        double overhead = 1 - toolTimes.totalMs() / (wall * cores);
        double jobShare = timings.jobMs() / (wall * cores);
        double perMinute = subjects / (wall / 60_000);
        log.printf(Locale.ROOT, "  %.1f s (fastest of %s), %.1f subjects/min, overhead share %.0f %%, same table as the tools: %s%n",
                wall / 1000, walls.stream().map(w -> String.format(Locale.ROOT, "%.1f", w / 1000)).toList(), perMinute,
                100 * overhead, same);
        return new CohortBenchResult.Run(name, master, cores, slots, startup, wall, walls, perMinute, overhead, jobShare, stages, same,
                runDir.toString());
    }

    private CohortBenchResult.Baseline baseline(List<ToolChain.Subject> all, Path settings, ToolChain chain, Path dir,
                                                List<String> reference) throws Exception {
        List<ToolChain.Subject> subjects = o.baselineSubjects() < 0 || o.baselineSubjects() >= all.size()
                ? all : all.subList(0, o.baselineSubjects());
        log.printf(Locale.ROOT, "process-per-job baseline: %d subjects, %d JVMs at once ...%n", subjects.size(),
                o.baselineParallelism());
        ProcessPerJob.Result r = new ProcessPerJob(List.of("-Xmx1g", "-XX:+UseSerialGC"), settings, o.roi(), chain)
                .run(subjects, dir, o.baselineParallelism());
        Map<String, Double> mean = new LinkedHashMap<>();
        ToolChain.TOOLS.forEach(t -> Optional.ofNullable(r.processMsPerTool().get(t)).ifPresent(
                ms -> mean.put(t, ms.stream().mapToDouble(Double::doubleValue).average().orElse(0))));
        double meanAll = r.processMsPerTool().values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue)
                .average().orElse(0);
        // Only comparable with the bare chain when the baseline ran the whole cohort.
        boolean same = subjects.size() == all.size() && sortedLines(r.table()).equals(reference);
        double perMinute = subjects.size() / (r.wallMs() / 60_000);
        log.printf(Locale.ROOT, "  %.1f s for %d processes, %.1f subjects/min, %.0f ms per process%n", r.wallMs() / 1000,
                r.processes(), perMinute, meanAll);
        return new CohortBenchResult.Baseline(subjects.size(), r.processes(), o.baselineParallelism(), r.wallMs(),
                perMinute, meanAll, mean, same);
    }

    /**
     * The network for one run, with its sinks moved under that run's folder so that runs do not overwrite each
     * other: the bundled network's {@code SINKS} placeholder, and the relative sink urls of the examples/radiomics
     * networks (resolved as {@code cohortflow run --out} does). Relative file parameters (the settings) stay relative to the
     * network file's folder, as {@code cohortflow run} resolves them.
     */
    private static NetworkYaml.Loaded network(Path file, ToolSet tools, Path runOut) throws IOException {
        String sinks = runOut.resolve("sinks").toUri().toString().replaceAll("/$", "");
        String yaml = Files.readString(file).replace("SINKS", sinks);
        NetworkYaml.Loaded loaded = NetworkYaml.read(yaml, file.toString());
        Network withFiles = FileLiterals.resolve(loaded.network(), tools.registry(), file.getParent());
        Network resolved = new org.cohortflow.executors.SinkLocations(Optional.of(sinks), java.util.Map.of())
                .apply(withFiles, withFiles.id());
        return new NetworkYaml.Loaded(resolved, loaded.locator(), loaded.file());
    }

    /** The settings file of the network's {@code biomarkers/Ibsi:1} node: a parameter, or a constant. */
    private static Optional<Path> ibsiSettings(Network network) {
        for (var node : network.nodes()) {
            if (!node.tool().toString().equals(ToolChain.FEATURES)) {
                continue;
            }
            List<String> values = node.parameters().getOrDefault("settings", List.of());
            if (values.isEmpty()) {
                values = network.constants().stream().filter(c -> c.type().equals("IbsiSettings")).findFirst()
                        .map(c -> c.samples().values().iterator().next()).orElse(List.of());
            }
            if (!values.isEmpty()) {
                return Optional.of(Path.of(URI.create(values.get(0))));
            }
        }
        return Optional.empty();
    }

    private static Path copyResource(String name, Path dir) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, resource(name));
            return p;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(CohortBenchmark.class.getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> sortedLines(Path file) {
        try {
            return Files.readAllLines(file).stream().sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
