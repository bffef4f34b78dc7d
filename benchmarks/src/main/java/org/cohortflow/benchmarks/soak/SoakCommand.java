package org.cohortflow.benchmarks.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cohortflow bench soak}: the kill-and-resume soak of {@link SoakBenchmark}. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Runs the radiomics network on a small synthetic cohort as real 'cohortflow run' processes, "
                + "kills each with kill -9 at random (seeded) points and resumes it until it completes, on each executor; "
                + "checks that every run's sinks are byte-identical to an uninterrupted run's (PROV-JSON aside) and that "
                + "nothing is left over: processes of the killed runs, .cohortflow-tmp-* files, cohortflow-job-* (and other cohortflow-*) temporary folders. "
                + "Writes OUT/soak.json and OUT/soak.md; exit 1 when anything differs or is left over."},
        footer = {"", "Examples:",
                "  cohortflow bench soak",
                "  cohortflow bench soak --dcm2niix --executor local --runs 5"})
public final class SoakCommand implements Callable<Integer> {
    static final String NETWORK = "examples/radiomics/dicom-ct.yaml";
    static final String DCM2NIIX_NETWORK = "examples/radiomics/dicom-ct-dcm2niix.yaml";
    static final String DCM2NIIX_TOOLS = "examples/radiomics/tools";

    @Option(names = "--executor", paramLabel = "local|spark", split = ",", defaultValue = "local,spark",
            description = "Executors to soak, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> executors;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Killed-and-resumed runs per executor (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--subjects", paramLabel = "N", defaultValue = "4", description = "Synthetic subjects (default: ${DEFAULT-VALUE}).")
    int subjects;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the cohort, the kill times and the kill counts (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-kills", paramLabel = "N", defaultValue = "2",
            description = "Each run is killed 1 to N times, then resumed to the end (default: ${DEFAULT-VALUE}).")
    int maxKills;

    @Option(names = "--dcm2niix",
            description = "Soak " + DCM2NIIX_NETWORK + " (dcm2niix, a command-line tool, converts each series) with --tools "
                    + DCM2NIIX_TOOLS + ", instead of " + NETWORK + " (Java tools only).")
    boolean dcm2niix;

    @Option(names = "--kill-on-tool", paramLabel = "PROGRAM",
            description = "Kill while the n-th process of PROGRAM (n drawn from 1 to --subjects) runs under the run, instead "
                    + "of at a random time: command-line tools run briefly, so random kills seldom hit them. With --dcm2niix "
                    + "the default is dcm2niix; 'none' kills at random times.")
    String killOnTool;

    @Option(names = "--network", paramLabel = "FILE",
            description = "Another network: sources ct and rtstruct (and roi), relative sinks (they go under the run's output folder). "
                    + "Default: " + NETWORK + " of the checkout, else the cohort benchmark's bundled network.")
    Path network;

    @Option(names = "--tools", paramLabel = "DIR", description = "A folder of command-line tools for the runs; repeatable.")
    List<Path> tools = new ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]",
            description = "Spark master of the spark runs (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: soak-bench-DATE-TIME here).")
    Path out;

    @Option(names = "--tmpdir", paramLabel = "DIR",
            description = "java.io.tmpdir of the runs, where their job folders go (default: OUT/tmp, so that other work on "
                    + "the machine is not taken for the soak's leftovers; /tmp to soak the usual place).")
    Path tmpdir;

    @Option(names = "--java-option", paramLabel = "OPT", description = "An option for the runs' JVMs; repeatable.")
    List<String> javaOptions = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            throw new IllegalStateException("the soak looks for leftover processes in /proc, which this system has not");
        }
        Path dir = out != null ? out : Path.of("soak-bench-" + LocalDateTime.now()
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        Optional<Path> home = Optional.ofNullable(System.getProperty("cohortflow.home")).map(Path::of);
        List<Path> toolDirs = new ArrayList<>(tools);
        Path net = network;
        if (dcm2niix) {
            if (network != null || home.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--dcm2niix needs the checkout (run it through ./cohortflow) and no --network");
            }
            net = home.get().resolve(DCM2NIIX_NETWORK);
            toolDirs.add(home.get().resolve(DCM2NIIX_TOOLS));
        } else if (net == null) {
            net = home.map(h -> h.resolve(NETWORK)).filter(Files::isRegularFile)
                    .orElse(SoakBenchmark.bundledNetwork(dir.resolve("bundled")));
        }
        SoakBenchmark.Options options;
        try {
            options = new SoakBenchmark.Options(executors, runs, subjects, seed, maxKills, net, toolDirs, master, dir,
                    Optional.ofNullable(tmpdir), classPath(home), childOptions(), killOn());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintStream log = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        SoakResult r = new SoakBenchmark(options, log).run();
        log.println();
        log.println(SoakReport.markdown(r));
        log.println("data:   " + dir.toAbsolutePath().resolve("soak.json"));
        return r.passed() ? 0 : 1;
    }

    private Optional<String> killOn() {
        if ("none".equals(killOnTool)) {
            return Optional.empty();
        }
        return Optional.ofNullable(killOnTool).or(() -> dcm2niix ? Optional.of("dcm2niix") : Optional.empty());
    }

    /** The cli's class path when run from the checkout (what ./cohortflow runs), else this JVM's, which holds the cli. */
    private static String classPath(Optional<Path> home) throws IOException {
        if (home.isPresent()) {
            Path jar = home.get().resolve("cli/target/cohortflow-cli-0.1.0-SNAPSHOT.jar");
            Path cp = home.get().resolve("cli/target/runtime-classpath.txt");
            if (Files.isRegularFile(jar) && Files.isRegularFile(cp)) {
                return jar + java.io.File.pathSeparator + Files.readString(cp).trim();
            }
        }
        return System.getProperty("java.class.path");
    }

    /** This JVM's module opens (Spark on Java 17 needs them, the launcher gives them), then --java-option. */
    private List<String> childOptions() {
        List<String> opts = new ArrayList<>();
        List<String> mine = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < mine.size(); i++) {
            String a = mine.get(i);
            if (a.startsWith("--add-opens=") || a.startsWith("--add-exports=")) {
                opts.add(a);
            } else if ((a.equals("--add-opens") || a.equals("--add-exports")) && i + 1 < mine.size()) {
                opts.add(a);
                opts.add(mine.get(++i));
            }
        }
        opts.addAll(javaOptions);
        return opts;
    }
}
