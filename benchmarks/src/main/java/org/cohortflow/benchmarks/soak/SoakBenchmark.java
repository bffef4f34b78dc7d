package org.cohortflow.benchmarks.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cohortflow.benchmarks.cohort.CohortBenchResult;
import org.cohortflow.benchmarks.cohort.CohortBenchmark;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.imaging.index.SeriesSample;
import org.cohortflow.imaging.pipeline.DicomCohortSource;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;

/**
 * The soak of issue 10: the radiomics network run on a small synthetic cohort, as real {@code cohortflow run}
 * child processes, killed with {@code kill -9} at random (seeded) points and resumed until each run completes,
 * on each executor. Checks that every run's final sinks are byte-identical to an uninterrupted run's on the
 * same executor and that the killed runs left nothing behind (processes, writers' temporaries, job folders).
 * Writes {@code soak.json} and {@code soak.md} into the output folder.
 */
public final class SoakBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String CLI_MAIN = "org.cohortflow.cli.Cohortflow";
    /** Temporary folders of cohortflow's tasks in java.io.tmpdir: job folders, codec scratch folders. */
    private static final String TEMP_FOLDER_PREFIX = "cohortflow-";

    /**
     * What to run.
     *
     * @param executors {@code local} and/or {@code spark}
     * @param runs      killed-and-resumed runs per executor
     * @param subjects  synthetic subjects
     * @param seed      seed of the cohort and of the kill times and counts
     * @param maxKills  each run is killed 1 to this many times (drawn), then resumed to the end
     * @param network   the network file (its sources {@code ct}, {@code rtstruct}, optionally {@code roi}); its
     *                  relative sink URLs (given {@code --out}) or the placeholder {@code SINKS} are moved under
     *                  each run's folder
     * @param toolDirs  folders of command-line tools to pass to the runs ({@code --tools})
     * @param master    the Spark master of the spark runs
     * @param out       where everything goes
     * @param tmpdir    the children's {@code java.io.tmpdir} (their job folders); default {@code out/tmp}, so that
     *                  other work on the machine cannot be mistaken for the soak's leftovers
     * @param classPath the class path of the child JVMs (the cli's)
     * @param javaOptions options for the child JVMs before the class path (Spark's module opens, heap)
     * @param killOnTool instead of at a random time, kill while the n-th process of this name (n drawn from 1 to
     *                  the number of subjects) runs under the run: to hit command-line tools, which run briefly
     */
    public record Options(List<String> executors, int runs, int subjects, long seed, int maxKills, Path network,
                          List<Path> toolDirs, String master, Path out, Optional<Path> tmpdir, String classPath,
                          List<String> javaOptions, Optional<String> killOnTool) {
        public Options {
            executors = List.copyOf(executors);
            toolDirs = List.copyOf(toolDirs);
            javaOptions = List.copyOf(javaOptions);
            for (String e : executors) {
                if (!e.equals("local") && !e.equals("spark")) {
                    throw new IllegalArgumentException("executor must be local or spark, not '" + e + "'");
                }
            }
            if (runs < 1 || subjects < 1 || maxKills < 1) {
                throw new IllegalArgumentException("runs, subjects and kills must be at least 1");
            }
        }
    }

    private final Options o;
    private final PrintStream log;
    private final Random random;
    private final List<ProcessScan.Tracked> tracked = new ArrayList<>();
    private final Set<Long> killedPids = new HashSet<>();
    /** The kill window of the current executor: its shortest uninterrupted whole run so far, in ms. */
    private long window;

    public SoakBenchmark(Options options, PrintStream log) {
        this.o = options;
        this.log = log;
        this.random = new Random(options.seed());
    }

    /** Runs the soak and writes its reports. */
    public SoakResult run() throws Exception {
        long t0 = System.nanoTime();
        String date = OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path out = Files.createDirectories(o.out()).toAbsolutePath();
        Path tmp = Files.createDirectories(o.tmpdir().orElse(out.resolve("tmp"))).toAbsolutePath();
        boolean ownTmp = o.tmpdir().isEmpty();
        Set<String> jobFoldersBefore = entries(tmp, TEMP_FOLDER_PREFIX);
        Path work = out.resolve("work");

        log.printf(Locale.ROOT, "writing a synthetic cohort of %d subjects (seed %d) ...%n", o.subjects(), o.seed());
        new SyntheticCohort(SynthOptions.defaults(), o.seed()).write(out.resolve("cohort"), o.subjects(), 2);
        Path networkFile = o.network().toAbsolutePath();
        String yaml = Files.readString(networkFile);
        boolean roi = NetworkYaml.read(yaml, networkFile.toString()).network().source("roi").isPresent();
        Path sheet = writeSheet(SyntheticCohort.dicomRoot(out.resolve("cohort")), out.resolve("sheet.csv"), roi);
        Path networkDir = networkFolder(networkFile, out.resolve("network"));

        List<SoakResult.ExecutorSoak> executors = new ArrayList<>();
        Map<String, SinkSet> references = new LinkedHashMap<>();
        String firstCommand = null;
        for (String executor : o.executors()) {
            long e0 = System.nanoTime();
            String refId = executor + "-reference";
            List<String> refCommand = command(executor, networkDir, yaml, out, sheet, work, tmp, refId, false);
            if (firstCommand == null) {
                firstCommand = String.join(" ", refCommand).replace(o.classPath(), "CLASSPATH");
            }
            log.printf(Locale.ROOT, "%s: uninterrupted reference run ...%n", executor);
            SoakResult.Attempt reference = ChildRun.run(refCommand, out.resolve("logs/" + refId + ".log"), 1, false,
                    ChildRun.Kill.never(), 30 * 60_000).attempt();
            if (reference.exitCode() != 0) {
                throw new IllegalStateException("the uninterrupted " + executor + " run exited with " + reference.exitCode()
                        + "; see " + reference.log() + ":\n" + tail(Path.of(reference.log())));
            }
            window = Math.round(reference.seconds() * 1000);
            long duration = window;
            SinkSet refSinks = SinkSet.read(sinks(out, refId));
            references.put(executor, refSinks);
            log.printf(Locale.ROOT, "  %.1f s, %d sink files (kills at random points up to %.1f s)%n", reference.seconds(),
                    refSinks.files().size(), duration / 1000.0);

            List<SoakResult.Run> runs = new ArrayList<>();
            for (int i = 1; i <= o.runs(); i++) {
                runs.add(soakRun(executor + "-" + i, executor, networkDir, yaml, out, sheet, work, tmp, refSinks));
            }
            int kills = runs.stream().mapToInt(SoakResult.Run::kills).sum();
            int resumes = runs.stream().mapToInt(SoakResult.Run::resumes).sum();
            int identical = (int) runs.stream().filter(r -> r.completed() && r.differences().isEmpty()).count();
            executors.add(new SoakResult.ExecutorSoak(executor, reference, runs, kills, resumes, identical,
                    (System.nanoTime() - e0) / 1e9));
        }
        List<SinkSet.Difference> cross = references.size() == 2
                ? references.get("local").differencesFrom(references.get("spark")) : List.of();

        // Let the last killed runs' clean-up, if any, finish before looking.
        Thread.sleep(1000);
        SoakResult.Leftovers leftovers = leftovers(out, work, tmp, ownTmp, jobFoldersBefore);
        boolean passed = leftovers.none() && executors.stream().allMatch(e -> e.identical() == e.runs().size());
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        CohortBenchResult.Machine machine = new CohortBenchResult.Machine(host(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory() >> 20, loadBefore, loadAfter);
        SoakResult.Setup setup = new SoakResult.Setup(networkFile.toString(), o.subjects(), o.seed(), o.runs(), o.maxKills(),
                firstCommand, tmp.toString(), o.killOnTool().map(t -> "while the n-th " + t + " process runs (n from 1 to "
                        + o.subjects() + ")").orElse("at a random time up to the uninterrupted run's duration (or a faster whole run's)"));
        SoakResult result = new SoakResult(date, machine, setup, executors, cross, leftovers, (System.nanoTime() - t0) / 1e9,
                passed);
        JSON.writeValue(out.resolve("soak.json").toFile(), result);
        Files.writeString(out.resolve("soak.md"), SoakReport.markdown(result));
        return result;
    }

    /** One run: killed 1 to maxKills times at random points, resumed after each kill, until an attempt ends. */
    private SoakResult.Run soakRun(String runId, String executor, Path networkDir, String yaml, Path out, Path sheet, Path work,
                                   Path tmp, SinkSet reference) throws Exception {
        long duration = window;
        int plannedKills = 1 + random.nextInt(o.maxKills());
        List<SoakResult.Attempt> attempts = new ArrayList<>();
        int kills = 0;
        long limit = Math.max(10 * duration, 5 * 60_000);
        SoakResult.Attempt last;
        do {
            boolean resume = !attempts.isEmpty();
            ChildRun.Kill kill = kills >= plannedKills ? ChildRun.Kill.never()
                    : o.killOnTool().map(t -> ChildRun.Kill.atTool(t, 1 + random.nextInt(o.subjects())))
                    .orElseGet(() -> ChildRun.Kill.after((long) (random.nextDouble() * duration)));
            List<String> cmd = command(executor, networkDir, yaml, out, sheet, work, tmp, runId, resume);
            ChildRun.Outcome outcome = ChildRun.run(cmd, out.resolve("logs/" + runId + "." + (attempts.size() + 1) + ".log"),
                    attempts.size() + 1, resume, kill, limit);
            last = outcome.attempt();
            attempts.add(last);
            if (!resume && !last.killed() && last.exitCode() == 0) {
                // A whole run faster than the window (the reference ran first, on a cold machine, or under more
                // load): later kills are drawn in this shorter window, so that they land inside runs.
                window = Math.min(window, Math.round(last.seconds() * 1000));
            }
            if (last.killed()) {
                kills++;
                killedPids.add(outcome.pid());
                tracked.addAll(outcome.tracked());
            }
            log.printf(Locale.ROOT, "  %s attempt %d%s: %s%n", runId, last.number(), resume ? " (--resume)" : "",
                    last.killed() ? String.format(Locale.ROOT, "kill -9 after %.1f s (%d processes under it, %d alive 1 s later%s)",
                            last.killAfterMs() / 1000.0, last.descendants().size(), last.aliveAfterKill().size(),
                            last.descendantsEndedMs() > 0 ? ", the last ended after " + last.descendantsEndedMs() + " ms"
                                    : last.descendantsEndedMs() < 0 ? ", some still ran 5 s later" : "")
                            : String.format(Locale.ROOT, "exit %d after %.1f s", last.exitCode(), last.seconds()));
        } while (last.killed());
        boolean completed = last.exitCode() == 0;
        List<SinkSet.Difference> differences = reference.differencesFrom(SinkSet.read(sinks(out, runId)));
        if (!completed) {
            log.printf(Locale.ROOT, "  %s did not complete; see %s%n", runId, last.log());
        } else if (!differences.isEmpty()) {
            log.printf(Locale.ROOT, "  %s sinks differ from the reference: %s%n", runId, differences);
        }
        double seconds = attempts.stream().mapToDouble(SoakResult.Attempt::seconds).sum();
        return new SoakResult.Run(runId, attempts, kills, attempts.size() - 1, completed, seconds, differences);
    }

    private SoakResult.Leftovers leftovers(Path out, Path work, Path tmp, boolean ownTmp, Set<String> jobFoldersBefore) {
        Map<String, String> markers = new LinkedHashMap<>();
        markers.put(work.toString(), "its command line names the soak's work folder");
        markers.put(tmp.resolve(TEMP_FOLDER_PREFIX).toString(), "its command line names a cohortflow temporary folder");
        // A killed JVM's PID counts as a parent only while no other process has taken it.
        Set<Long> deadPids = new HashSet<>();
        killedPids.stream().filter(pid -> ProcessHandle.of(pid).isEmpty()).forEach(deadPids::add);
        List<ProcessScan.Tracked> alive = tracked.stream().filter(ProcessScan.Tracked::alive).toList();
        List<ProcessScan.Leftover> processes = ProcessScan.suspects(ProcessScan.snapshot(Path.of("/proc")), markers, deadPids,
                alive, ProcessHandle.current().pid());
        List<String> temps = new ArrayList<>();
        List<String> locks = new ArrayList<>();
        for (Path root : List.of(work, out.resolve("runs"))) {
            walk(root).forEach(p -> {
                String name = p.getFileName().toString();
                if (name.startsWith(SinkSet.TEMP_PREFIX)) {
                    temps.add(p.toString());
                } else if (name.equals(SinkSet.LOCK_FILE)) {
                    locks.add(p.toString());
                }
            });
        }
        Set<String> jobs = entries(tmp, TEMP_FOLDER_PREFIX);
        jobs.removeAll(jobFoldersBefore);
        List<String> other = ownTmp ? entries(tmp, "").stream().filter(n -> !n.startsWith(TEMP_FOLDER_PREFIX)).toList() : List.of();
        return new SoakResult.Leftovers(processes, temps, jobs.stream().map(n -> tmp.resolve(n).toString()).toList(), locks,
                other.stream().map(n -> tmp.resolve(n).toString()).toList());
    }

    /** The child's command: {@code java OPTIONS -cp CLI Cohortflow run NETWORK --samples ... --work ... --run-id ...}. */
    private List<String> command(String executor, Path networkDir, String yaml, Path out, Path sheet, Path work, Path tmp,
                                 String runId, boolean resume) throws IOException {
        Path net = networkDir.resolve(runId + ".yaml");
        if (!Files.exists(net)) {
            String sinks = sinks(out, runId).toUri().toString().replaceAll("/$", "");
            Files.writeString(net, yaml.replace("SINKS", sinks));
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(o.javaOptions());
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.addAll(List.of("-cp", o.classPath(), CLI_MAIN, "run", net.toString(), "--samples", sheet.toString(),
                "--work", work.toString(), "--run-id", runId, "--executor", executor, "--progress", "off",
                "--out", sinks(out, runId).toString()));
        if (executor.equals("spark")) {
            cmd.addAll(List.of("--master", o.master()));
        }
        o.toolDirs().forEach(d -> cmd.addAll(List.of("--tools", d.toAbsolutePath().toString())));
        if (resume) {
            cmd.add("--resume");
        }
        return cmd;
    }

    private static Path sinks(Path out, String runId) {
        return out.resolve("runs").resolve(runId).resolve("sinks");
    }

    /**
     * A folder for the runs' network files that sees what the original's folder holds (its settings files and
     * tools, linked), so the original's relative file parameters resolve the same; a network without such a
     * folder (the bundled one) gets the bundled settings.
     */
    private static Path networkFolder(Path networkFile, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(networkFile.getParent())) {
            for (Path e : entries) {
                Path link = dir.resolve(e.getFileName().toString());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, e.toAbsolutePath());
                }
            }
        }
        return dir;
    }

    private static Path writeSheet(Path dicom, Path sheet, boolean roi) throws IOException {
        List<DicomCohortSource.Sample> samples = DicomCohortSource.discover(dicom, SeriesSample.modality("CT"), 2).stream()
                .filter(s -> s.rtstruct().isPresent()).toList();
        try (Writer w = Files.newBufferedWriter(sheet, StandardCharsets.UTF_8)) {
            DicomCohortSource.writeSampleSheet(w, samples, "ct", Optional.of("rtstruct"), roi ? Map.of("roi", "GTV") : Map.of());
        }
        return sheet;
    }

    /** The bundled radiomics network (and its settings) of the cohort benchmark, copied into {@code dir}. */
    public static Path bundledNetwork(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : List.of("ct-settings.yaml", "radiomics-dicom.yaml")) {
            try (InputStream in = Objects.requireNonNull(CohortBenchmark.class.getResourceAsStream(name), name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        return dir.resolve("radiomics-dicom.yaml");
    }

    private static Set<String> entries(Path dir, String prefix) {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(p -> {
                if (p.getFileName().toString().startsWith(prefix)) {
                    names.add(p.getFileName().toString());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static List<Path> walk(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
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
