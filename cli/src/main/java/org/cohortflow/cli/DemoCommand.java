package org.cohortflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cohortflow.biomarkers.table.CsvFeatureReader;
import org.cohortflow.cli.demo.MissionDemo;
import org.cohortflow.biomarkers.table.FeatureRow;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.executors.Executor;
import org.cohortflow.executors.ExecutorProviders;
import org.cohortflow.executors.ExecutorSettings;
import org.cohortflow.executors.FileLiterals;
import org.cohortflow.executors.SinkLocations;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.ToolSet;
import org.cohortflow.executors.cache.JobRecords;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.imaging.synth.SubjectTruth;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cohortflow demo}: the mission end to end on a machine with no data (see {@link MissionDemo}): a
 * synthetic scanner sends DICOM CT + RTSTRUCT to the services running in this JVM, which carry every subject
 * through the example study's workflow. {@code --compute-only} keeps the compute core's own demo: it synthesises
 * a small DICOM cohort with lesions of known volume, runs the CT radiomics network
 * ({@code examples/radiomics/dicom-ct.yaml}) on it, prints a summary and writes an HTML report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Runs the mission on a synthetic cohort: scanner -> intake -> governor -> tasks -> radiomics -> export.",
        description = {"Starts the intake, the study governor, the task service and the monitor in this JVM (embedded H2 under "
                               + "DIR/demo-TIMESTAMP/services, a folder archive, a generated admin password), configured with "
                               + "examples/study/ (workflow, intake profile, task templates). A synthetic scanner writes N subjects as "
                               + "DICOM CT + RTSTRUCT with made-up patient names and ids and sends them by C-STORE to the intake, "
                               + "which de-identifies and archives them and makes one experiment per study at the governor; the "
                               + "governor moves each through the workflow: a scan QC task, the radiomics pipeline on Spark, a mask "
                               + "review task, done (or a failure branch), and the export of the cohort table.",
                       "With --review auto the demo answers every task itself through the task service's API, as a reviewer "
                               + "would (every scan usable, every mask accepted, a failed run excluded), and ends with a summary: "
                               + "subjects per state, features, time per stage and where everything is. Without it, the demo prints "
                               + "the URLs and credentials and keeps serving so that a person can review in the viewer (Ctrl-C stops).",
                       "",
                       "--compute-only runs the compute core alone: writes N subjects as DICOM CT + RTSTRUCT (lesions of known "
                               + "shape and volume), runs examples/radiomics/dicom-ct.yaml on them (Spark local[*] by default:",
                       "DICOM -> volume + mask -> IBSI features -> per-subject JSON and a cohort table as CSV and Parquet), "
                               + "prints a summary (subjects ok/failed, features, time per stage, the lesions' measured mesh volume "
                               + "against their analytic volume) and writes DIR/demo-TIMESTAMP/report.html: per-subject status, time "
                               + "per stage and a distribution plot per feature, in one self-contained page."},
        footer = {"", "Examples:", "  cohortflow demo --review auto",
                "  cohortflow demo --review auto --subjects 3 --corrupt 1",
                "  cohortflow demo --port 8080",
                "  cohortflow demo --compute-only",
                "", "Exit codes: 0 every subject succeeded (with --review auto: every experiment reached a final state and is "
                        + "in the cohort table); 1 a job failed, the flow did not settle or the run could not start; 2 usage error."})
final class DemoCommand implements Callable<Integer> {
    private static final String NETWORK = "examples/radiomics/dicom-ct.yaml";
    private static final String STUDY = "examples/study/workflow.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--subjects", paramLabel = "N", description = "Synthetic subjects (default: 3, with --compute-only 6).")
    Integer subjectsOption;

    private int subjects;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed of the cohort (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Folder for the demo; each run makes DIR/demo-TIMESTAMP/ (default: ${DEFAULT-VALUE}).")
    Path work = Path.of(System.getProperty("java.io.tmpdir"), "cohortflow-demo");

    @Option(names = "--executor", paramLabel = "spark|local", description = "Where jobs run (default: ${DEFAULT-VALUE}).")
    String executor = "spark";

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master = "local[*]";

    @Option(names = "--network", paramLabel = "FILE",
            description = "The network to run; default " + NETWORK + " of this cohortflow checkout.")
    Path network;

    @Option(names = "--progress", paramLabel = "auto|on|off", defaultValue = "auto",
            description = "Console progress bar of --compute-only (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--compute-only", description = "Run the radiomics network alone on the synthetic cohort, without the services.")
    boolean computeOnly;

    @Option(names = "--review", paramLabel = "auto|person", defaultValue = "person",
            description = "auto: the demo answers the tasks and ends with a summary; person (default): it keeps serving "
                    + "for a reviewer in the viewer until Ctrl-C.")
    String review;

    @Option(names = "--corrupt", paramLabel = "K", description = "Of the subjects, the last K have an RTSTRUCT without the "
            + "study's ROI, to show the failure branch (default: ${DEFAULT-VALUE}).")
    int corrupt = 0;

    @Option(names = "--port", paramLabel = "N", description = "Ports of the services, from N on (default: free ports).")
    int port = 0;

    @Option(names = "--timeout", paramLabel = "MINUTES", description = "With --review auto, how long the flow may take "
            + "(default: ${DEFAULT-VALUE}).")
    int timeoutMinutes = 20;

    @Option(names = "--study", paramLabel = "DIR", description = "The study to run (workflow.yaml, intake-profile.yaml, "
            + "templates/); default examples/study of this cohortflow checkout.")
    Path study;

    @Option(names = "--resume", paramLabel = "DEMO_DIR", description = "Start the services of an earlier demo (its "
            + "DIR/demo-TIMESTAMP folder) again, after a crash or a kill, and carry on where they stopped.")
    Path resume;

    /** Released by the JVM's shutdown (Ctrl-C) to stop a serving demo. */
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        subjects = subjectsOption != null ? subjectsOption : computeOnly ? 6 : 3;
        if (subjects < 1) {
            throw new ParameterException(spec.commandLine(), "--subjects must be at least 1, not " + subjects);
        }
        if (!executor.equals("spark") && !executor.equals("local")) {
            throw new ParameterException(spec.commandLine(), "--executor takes spark or local, not '" + executor + "'");
        }
        return computeOnly ? computeOnly() : mission();
    }

    private Integer mission() throws Exception {
        if (!review.equals("auto") && !review.equals("person")) {
            throw new ParameterException(spec.commandLine(), "--review takes auto or person, not '" + review + "'");
        }
        if (corrupt < 0 || corrupt > subjects) {
            throw new ParameterException(spec.commandLine(), "--corrupt must be 0.." + subjects + ", not " + corrupt);
        }
        if (port < 0 || port > 65530) {
            throw new ParameterException(spec.commandLine(), "--port must be 1..65530 (or 0: free ports), not " + port);
        }
        Path workflow = findInCheckout(STUDY).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "cannot find " + STUDY + " above " + Path.of("").toAbsolutePath() + " or this program"));
        Path checkout = workflow.getParent().getParent().getParent();
        Path studyDir = study != null ? study.toAbsolutePath() : workflow.getParent();
        if (!Files.isRegularFile(studyDir.resolve("workflow.yaml")) || !Files.isRegularFile(studyDir.resolve("intake-profile.yaml"))) {
            throw new ParameterException(spec.commandLine(), "--study " + studyDir + " needs workflow.yaml and intake-profile.yaml");
        }
        if (resume != null && !Files.isRegularFile(resume.resolve("services/demo-layout.json"))) {
            throw new ParameterException(spec.commandLine(), "--resume " + resume + " is not the folder of a demo (no services/demo-layout.json)");
        }
        Path folder = resume != null ? resume.toAbsolutePath()
                : work.resolve("demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                // Let the demo close the services (databases shut cleanly) before the JVM halts.
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cohortflow-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return new MissionDemo(new MissionDemo.Options(checkout, studyDir, folder, subjects, corrupt, seed, review.equals("auto"), port,
                    executor, master, Duration.ofMinutes(timeoutMinutes), resume != null), ServeCommand.services(), spec.commandLine().getOut())
                    .run(stop);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Already shutting down: the hook is running and waits for 'finished'.
            }
        }
    }

    private Integer computeOnly() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path file = network != null ? network : findInCheckout(NETWORK).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "cannot find " + NETWORK + " above " + Path.of("").toAbsolutePath() + " or this program; pass --network"));
        Path folder = Files.createDirectories(work.resolve("demo-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        String where = executor.equals("spark") ? "spark " + master : "local";
        out.printf(Locale.ROOT, "cohortflow demo: %d synthetic subjects, %s on %s, in %s%n", subjects, file.getFileName(), where, folder);

        List<DemoResult.Stage> stages = new ArrayList<>();
        long t = System.nanoTime();
        Path cohort = folder.resolve("cohort");
        List<SubjectTruth> truth = new SyntheticCohort(SynthOptions.defaults(), seed).write(cohort, subjects,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
        stages.add(new DemoResult.Stage("synthesise cohort", 0, 0, seconds(t), seconds(t)));

        NetworkYaml.Loaded loaded;
        ToolSet tools = ToolSet.load(List.of());
        try {
            loaded = NetworkYaml.read(file);
        } catch (InvalidDefinitionException e) {
            e.problems().forEach(p -> spec.commandLine().getErr().println(p));
            return 1;
        }
        Path results = folder.resolve("results");
        Network withFiles = FileLiterals.resolve(loaded.network(), tools.registry(), file.toAbsolutePath().getParent());
        // The example's sinks are relative: here they go to the demo's own results folder, as with run --out.
        Network net = new SinkLocations(Optional.of(results.toString()), Map.of()).apply(withFiles, withFiles.id());
        SourceData.Builder data = SourceData.builder();
        for (SubjectTruth s : truth) {
            Path subject = SyntheticCohort.dicomRoot(cohort).resolve(s.subject());
            data.add("ct", s.subject(), subject.resolve(SyntheticCohort.CT_DIR).toUri().toString());
            data.add("rtstruct", s.subject(), subject.resolve(SyntheticCohort.RTSTRUCT_FILE).toUri().toString());
            data.add("roi", s.subject(), s.roi());
        }
        PrintStream console = WriterOutputStream.printStream(out);
        RunSpec runSpec = RunSpec.of(net, loaded.locator(), tools, data.build(), folder.resolve("work").toUri())
                .withRunId("radiomics")
                .withProgress(RunSpec.Progress.valueOf(progress.toUpperCase(Locale.ROOT)), console);

        t = System.nanoTime();
        RunReport report;
        try (Executor ex = ExecutorProviders.create(executor, executor.equals("spark")
                ? ExecutorSettings.defaults().withMaster(master).withConf(Map.of("spark.ui.enabled", "false"))
                : ExecutorSettings.defaults())) {
            stages.add(new DemoResult.Stage("start " + executor + " executor", 0, 0, seconds(t), seconds(t)));
            report = ex.run(runSpec);
        }
        console.flush();
        double run = (report.end().toEpochMilli() - report.start().toEpochMilli()) / 1000.0;

        Path runDir = folder.resolve("work").resolve("radiomics");
        List<JsonNode> jobs = jobRecords(runDir);
        stages.addAll(nodeStages(report, jobs));
        Path csv = results.resolve("cohort-features.csv");
        FeatureTable features = Files.exists(csv) ? CsvFeatureReader.read(csv) : new FeatureTable();
        List<DemoResult.Subject> subjectResults = subjects(truth, features, jobs);
        List<String> outputs;
        try (Stream<Path> s = Files.walk(results)) {
            outputs = s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".prov.json"))
                    .map(p -> folder.relativize(p).toString()).sorted().toList();
        }
        DemoResult result = new DemoResult(net.id(), where, folder, subjectResults, stages, run, features, outputs,
                report.exitCode());
        Path html = folder.resolve("report.html");
        DemoReport.write(result, html);
        if (report.exitCode() != 0) {
            out.print(report.summary());
        }
        summary(out, result, html);
        return report.exitCode() == 0 ? 0 : 1;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** A file of a checkout: above the working directory, or above the jar this class came from. */
    private static Optional<Path> findInCheckout(String relative) {
        List<Path> starts = new ArrayList<>(List.of(Path.of("").toAbsolutePath()));
        try {
            starts.add(Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception e) {
            // No code source (e.g. a custom class loader): the working directory is the only place to look.
        }
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve(relative))) {
                    return Optional.of(p.resolve(relative));
                }
            }
        }
        return Optional.empty();
    }

    /** Every job record of the run ({@code NODE/SAMPLE/job.json}): status, times, tool. */
    private static List<JsonNode> jobRecords(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(runDir, 3)) {
            for (Path p : s.filter(p -> p.getFileName().toString().equals(JobRecords.FILE)).sorted().toList()) {
                out.add(JSON.readTree(p.toFile()));
            }
        }
        return out;
    }

    private static List<DemoResult.Stage> nodeStages(RunReport report, List<JsonNode> jobs) {
        List<DemoResult.Stage> out = new ArrayList<>();
        for (RunReport.NodeSummary n : report.nodes()) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long sum = 0;
            for (JsonNode j : jobs) {
                if (j.path("node").asText().equals(n.node()) && j.path("status").asText().equals("SUCCEEDED")) {
                    long start = j.path("start").asLong();
                    long end = j.path("end").asLong();
                    first = Math.min(first, start);
                    last = Math.max(last, end);
                    sum += end - start;
                }
            }
            out.add(new DemoResult.Stage(n.node(), n.succeeded() + n.failed() + n.missing(), n.cached(), sum / 1000.0,
                    last >= first ? (last - first) / 1000.0 : 0));
        }
        return out;
    }

    private static List<DemoResult.Subject> subjects(List<SubjectTruth> truth, FeatureTable features, List<JsonNode> jobs) {
        Map<String, Double> mesh = new HashMap<>();
        Map<String, Integer> defined = new HashMap<>();
        for (FeatureRow r : features.rows()) {
            if (r.feature().ibsiCode().equals("RNU0")) {
                mesh.put(r.sample(), r.feature().value());
            }
            if (r.feature().isDefined()) {
                defined.merge(r.sample(), 1, Integer::sum);
            }
        }
        Map<String, JsonNode> featureJobs = new LinkedHashMap<>();
        Map<String, Double> jobSeconds = new HashMap<>();
        for (JsonNode j : jobs) {
            String sample = String.join("__", JSON.convertValue(j.path("sample"), String[].class));
            if (j.path("node").asText().equals("features")) {
                featureJobs.put(sample, j);
            }
            jobSeconds.merge(sample, (j.path("end").asLong() - j.path("start").asLong()) / 1000.0, Double::sum);
        }
        List<DemoResult.Subject> out = new ArrayList<>();
        for (SubjectTruth s : truth) {
            JsonNode job = featureJobs.get(s.subject());
            String status = job == null ? "missing" : job.path("status").asText().equals("SUCCEEDED") ? "ok" : "failed";
            String error = job == null ? "its feature job never ran (an earlier job failed)"
                    : job.path("error").isTextual() ? job.path("error").asText() : null;
            out.add(new DemoResult.Subject(s.subject(), s.shape().label(), status, error, s.analyticVolumeMm3(),
                    mesh.getOrDefault(s.subject(), Double.NaN), defined.getOrDefault(s.subject(), 0),
                    jobSeconds.getOrDefault(s.subject(), 0.0)));
        }
        return out;
    }

    private static void summary(PrintWriter out, DemoResult r, Path html) {
        long ok = r.okSubjects();
        out.printf(Locale.ROOT, "%nsubjects: %d ok, %d failed or missing%n", ok, r.subjects().size() - ok);
        int perSubject = r.subjects().isEmpty() ? 0 : (int) r.features().rows().stream()
                .filter(x -> x.sample().equals(r.subjects().get(0).id())).count();
        out.printf(Locale.ROOT, "features: %d per subject, cohort table of %d rows%n", perSubject, r.features().size());
        out.println("time per stage (compute summed over jobs; wall from first start to last end):");
        for (DemoResult.Stage s : r.stages()) {
            out.printf(Locale.ROOT, "  %-24s %s%7.2f s%s%n", s.name(), s.jobs() > 0 ? String.format(Locale.ROOT, s.jobs() == 1 ? "%2d job  " : "%2d jobs ", s.jobs()) : "        ",
                    s.jobSeconds(), s.jobs() > 0 ? String.format(Locale.ROOT, "   wall %6.2f s", s.wallSeconds()) : "");
        }
        out.printf(Locale.ROOT, "  %-24s         %7.2f s%n", "run (all stages)", r.runSeconds());
        out.println("sanity check, lesion volume: IBSI mesh volume (2 mm grid) vs analytic volume");
        for (DemoResult.Subject s : r.subjects()) {
            out.printf(Locale.ROOT, "  %-12s %-10s %-7s analytic %8.0f mm3   mesh %s%n", s.id(), s.shape(), s.status(),
                    s.analyticVolume(), Double.isNaN(s.meshVolume()) ? "-" : String.format(Locale.ROOT, "%8.0f mm3   %+.2f %%",
                            s.meshVolume(), 100 * s.volumeError()));
        }
        out.println("results: " + r.folder().resolve("results"));
        out.println("report:  " + html);
        out.flush();
    }

}
