package org.cohortflow.benchmarks.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cohortflow.cli.Cohortflow;
import org.cohortflow.executors.process.ToolProcesses;

/**
 * A soak of kill and resume: the radiomics network ({@code examples/radiomics/dicom-ct.yaml}) over a synthetic
 * cohort, run by a real {@code cohortflow run} in a child JVM that is killed with SIGKILL at random points and
 * resumed with {@code --resume} until it finishes, several times on each executor. Reports per run the kills,
 * whether every sink file is byte-identical to an uninterrupted run's (provenance documents, which hold times
 * and hosts, aside), and what was left behind: job folders in the runs' temporary folder and processes started
 * by the killed JVMs (their watchdogs and tools).
 *
 * <pre>
 * java $OPENS -cp "$CP" org.cohortflow.benchmarks.soak.KillResumeSoak [RUNS] [SUBJECTS] [EXECUTORS] [OUT] [SEED]
 *     RUNS       killed-and-resumed runs per executor (default 4)
 *     SUBJECTS   synthetic subjects (default 4)
 *     EXECUTORS  comma-separated, local and/or spark (default local,spark; spark runs on local[2])
 *     OUT        folder for the cohort, the runs and soak.md (default a new temporary folder)
 *     SEED       of the kill times (default 1)
 * </pre>
 * Exit code 0 when every run ended identical to the uninterrupted one with nothing left behind, else 1.
 */
public final class KillResumeSoak {
    private static final int MAX_KILLS = 3;

    private final Path repo;
    private final Path out;
    private final Path tmp;
    private final Random random;
    private final PrintStream log;

    private KillResumeSoak(Path repo, Path out, long seed, PrintStream log) throws IOException {
        this.repo = repo;
        this.out = out;
        this.tmp = Files.createDirectories(out.resolve("tmp"));
        this.random = new Random(seed);
        this.log = log;
    }

    /** One killed-and-resumed run. */
    record Run(String executor, int number, int kills, int foldersAtKills, List<String> differing, List<String> leftFolders,
               List<String> leftProcesses, int exitCode) {
        boolean clean() {
            return exitCode == 0 && differing.isEmpty() && leftFolders.isEmpty() && leftProcesses.isEmpty();
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int subjects = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        List<String> executors = Arrays.asList((args.length > 2 ? args[2] : "local,spark").split(","));
        Path out = args.length > 3 ? Files.createDirectories(Path.of(args[3])) : Files.createTempDirectory("cohortflow-soak-");
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
        Path repo = Path.of(System.getProperty("cohortflow.home", ".")).toAbsolutePath().normalize();
        KillResumeSoak soak = new KillResumeSoak(repo, out, seed, System.out);
        List<Run> results = soak.soak(runs, subjects, executors);
        String report = soak.report(results, runs, subjects, seed);
        Files.writeString(out.resolve("soak.md"), report);
        System.out.println(report);
        System.exit(results.stream().allMatch(Run::clean) ? 0 : 1);
    }

    private List<Run> soak(int runs, int subjects, List<String> executors) throws Exception {
        Path cohort = out.resolve("cohort");
        Path sheet = out.resolve("samples.csv");
        require(cohortflow(List.of("synth", "--subjects", Integer.toString(subjects), "--out", cohort.toString()),
                out.resolve("synth.log")).waitFor(), "synth");
        require(cohortflow(List.of("index", cohort.resolve("dicom").toString(), "--out", out.resolve("index.csv").toString(),
                "--sheet", sheet.toString(), "--modality", "CT", "--series-source", "ct", "--rtstruct-source", "rtstruct",
                "--sheet-column", "roi=GTV"), out.resolve("index.log")).waitFor(), "index");
        List<Run> results = new ArrayList<>();
        for (String executor : executors) {
            Path reference = out.resolve(executor + "-reference");
            long start = System.nanoTime();
            require(finish(run(executor, reference, sheet, false)), executor + " reference run");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            log.printf(Locale.ROOT, "%s: uninterrupted run in %d ms%n", executor, millis);
            Map<String, byte[]> expected = sinks(reference.resolve("sinks"));
            long events = lines(events(reference));
            for (int i = 1; i <= runs; i++) {
                results.add(killAndResume(executor, i, sheet, events, expected));
                log.println(results.get(results.size() - 1));
            }
        }
        return results;
    }

    /**
     * Kills a run at random points of its progress: up to 2 s after it has logged a random share (5 % to 90 %) of
     * the events an uninterrupted run logs, so that kills hit start-up, running jobs and sink writing alike
     * whatever the machine's load.
     */
    private Run killAndResume(String executor, int number, Path sheet, long referenceEvents, Map<String, byte[]> expected)
            throws Exception {
        Path dir = out.resolve(executor + "-run-" + number);
        int kills = 0;
        int foldersAtKills = 0;
        List<String> leftProcesses = new ArrayList<>();
        int code;
        while (true) {
            long before = lines(events(dir));
            Process p = run(executor, dir, sheet, kills > 0);
            long killAfter = kills < MAX_KILLS ? Math.max(1, Math.round(referenceEvents * (0.05 + 0.85 * random.nextDouble())))
                    : Long.MAX_VALUE;
            while (p.isAlive() && lines(events(dir)) - before < killAfter) {
                Thread.sleep(10);
            }
            // Events arrive as tasks end (on Spark, as partitions end); a moment later others are mid-job.
            p.waitFor(random.nextInt(2000), TimeUnit.MILLISECONDS);
            if (p.isAlive()) {
                List<ProcessHandle> started = p.descendants().toList();
                foldersAtKills += jobFolders().size(); // jobs running when it was killed
                p.destroyForcibly(); // SIGKILL
                p.waitFor();
                kills++;
                Thread.sleep(2000); // the watchdog's moment
                started.stream().filter(h -> ToolProcesses.isRunning(h.pid()))
                        .forEach(h -> leftProcesses.add(h.pid() + " " + h.info().commandLine().orElse("?")));
                continue;
            }
            code = p.exitValue();
            break;
        }
        Map<String, byte[]> got = sinks(dir.resolve("sinks"));
        List<String> differing = new ArrayList<>();
        for (String f : union(expected, got)) {
            if (!Arrays.equals(expected.get(f), got.get(f))) {
                differing.add(f);
            }
        }
        return new Run(executor, number, kills, foldersAtKills, differing, jobFolders(), leftProcesses, code);
    }

    /** Starts {@code cohortflow run} of the radiomics network with its sinks under {@code dir/sinks}. */
    private Process run(String executor, Path dir, Path sheet, boolean resume) throws IOException {
        Files.createDirectories(dir);
        Path network = dir.resolve("dicom-ct.yaml");
        if (!Files.exists(network)) {
            String yaml = Files.readString(repo.resolve("examples/radiomics/dicom-ct.yaml"))
                    .replace("file:///tmp/cohortflow/radiomics-dicom-ct", dir.resolve("sinks").toUri().toString().replaceAll("/$", ""))
                    .replace("settings/ct-2mm.yaml", repo.resolve("examples/radiomics/settings/ct-2mm.yaml").toString());
            Files.writeString(network, yaml);
        }
        List<String> args = new ArrayList<>(List.of("run", network.toString(), "--samples", sheet.toString(),
                "--work", dir.resolve("work").toString(), "--executor", executor, "--progress", "off"));
        if (executor.equals("spark")) {
            args.addAll(List.of("--master", "local[2]", "--conf", "spark.driver.host=127.0.0.1",
                    "--conf", "spark.driver.bindAddress=127.0.0.1"));
        } else {
            args.addAll(List.of("--parallelism", "2"));
        }
        if (resume) {
            args.add("--resume");
        }
        return cohortflow(args, dir.resolve("run.log"));
    }

    private Process cohortflow(List<String> args, Path logFile) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Djava.io.tmpdir=" + tmp));
        // The Spark module opens this JVM was started with.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect")).forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Cohortflow.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    }

    private static Path events(Path runDir) {
        return runDir.resolve("work/radiomics-dicom-ct/events.jsonl");
    }

    /** Complete lines of a file that may be growing (0 when it does not exist yet). */
    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long n = 0;
        for (byte b : Files.readAllBytes(file)) {
            if (b == '\n') n++;
        }
        return n;
    }

    private static int finish(Process p) throws InterruptedException {
        p.waitFor();
        return p.exitValue();
    }

    private static void require(int code, String what) {
        if (code != 0) {
            throw new IllegalStateException(what + " exited with " + code);
        }
    }

    private List<String> jobFolders() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("cohortflow-job-")).sorted().toList();
        }
    }

    private static Map<String, byte[]> sinks(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".prov.json")).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static List<String> union(Map<String, byte[]> a, Map<String, byte[]> b) {
        TreeMap<String, Boolean> all = new TreeMap<>();
        a.keySet().forEach(k -> all.put(k, true));
        b.keySet().forEach(k -> all.put(k, true));
        return new ArrayList<>(all.keySet());
    }

    private String report(List<Run> results, int runs, int subjects, long seed) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "# Kill and resume soak%n%n%d runs per executor, %d synthetic subjects, "
                + "kills at random points of progress (seed %d), at most %d per run, then resumed until done.%n%n", runs, subjects, seed,
                MAX_KILLS));
        sb.append("| executor | run | kills | jobs running at the kills | exit | sinks as uninterrupted | job folders left "
                + "| processes left |\n");
        sb.append("|---|---:|---:|---:|---:|---|---:|---:|\n");
        for (Run r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %d | %d |%n", r.executor(), r.number(),
                    r.kills(), r.foldersAtKills(), r.exitCode(), r.differing().isEmpty() ? "identical" : "differ: " + String.join(", ", r.differing()),
                    r.leftFolders().size(), r.leftProcesses().size()));
        }
        int kills = results.stream().mapToInt(Run::kills).sum();
        long clean = results.stream().filter(Run::clean).count();
        sb.append(String.format(Locale.ROOT, "%n%d runs, %d kills, %d clean.%n", results.size(), kills, clean));
        results.stream().flatMap(r -> r.leftProcesses().stream()).forEach(p -> sb.append("left: ").append(p).append('\n'));
        return sb.toString();
    }
}
