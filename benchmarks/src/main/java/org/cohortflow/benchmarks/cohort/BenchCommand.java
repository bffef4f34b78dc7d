package org.cohortflow.benchmarks.cohort;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cohortflow.benchmarks.imaging.RemoteIndexBenchmark;
import org.cohortflow.benchmarks.soak.SoakCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cohortflow bench}: the benchmark commands. They live in the benchmarks module, which may depend on
 * every other module; the cli module may not depend on benchmarks (the dependency table in the design
 * points down), so the {@code ./cohortflow} launcher hands {@code bench} to this class's {@code main}
 * with the benchmarks module's class path instead of registering it as a cli sub-command.
 */
@Command(name = "cohortflow bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that measure cohortflow end to end and write JSON (and HTML or Markdown) reports.",
        subcommands = {BenchCommand.Cohort.class, RemoteIndexBenchmark.IndexHdfsCommand.class, SoakCommand.class,
                CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Exit codes as the cohortflow command's: 0 done, 1 a run failed, 2 usage error. */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("cohortflow bench: " + ex.getMessage());
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("cohortflow bench: " + ex.getMessage());
            return 2;
        });
        cl.setOut(new PrintWriter(System.out, true));
        cl.setErr(new PrintWriter(System.err, true));
        System.exit(cl.execute(args));
    }

    /** {@code cohortflow bench cohort}. */
    @Command(name = "cohort", mixinStandardHelpOptions = true,
            description = {"Runs the radiomics network (DICOM CT + RTSTRUCT -> volume + mask -> IBSI features -> cohort "
                    + "table) over a synthetic cohort, or a DICOM tree with --cohort, and measures: the tools alone, the "
                    + "network on each executor with each core count, and a process-per-job baseline (one new JVM per "
                    + "job, as fastr runs jobs). Writes OUT/cohort-bench.json and OUT/cohort-bench.html.",
                    "Spark session start-up is measured apart and not counted in the runs' times."},
            footer = {"", "Examples:",
                    "  cohortflow bench cohort --subjects 16",
                    "  cohortflow bench cohort --executor spark --cores 2 --master spark://head:7077 --work /shared/bench-work",
                    "  cohortflow bench cohort --cohort /data/dicom --roi GTV-1 --subjects 20 --baseline-subjects 4"})
    static final class Cohort implements Callable<Integer> {
        /** The network of issue 6 (a), relative to the checkout; the launcher passes its root as cohortflow.home. */
        static final String EXAMPLE = "examples/radiomics/dicom-ct.yaml";

        @Option(names = "--executor", paramLabel = "local|spark", split = ",", defaultValue = "local,spark",
                description = "Executors to run, comma-separated (default: ${DEFAULT-VALUE}).")
        List<String> executors;

        @Option(names = "--cores", paramLabel = "N", split = ",", defaultValue = "1,2",
                description = "Core counts to run each executor with: local threads, Spark local[N] or, with --master, "
                        + "spark.cores.max (default: ${DEFAULT-VALUE}).")
        List<Integer> cores;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master for the spark runs (default: local[N]).")
        String master;

        @Option(names = "--subjects", paramLabel = "N", defaultValue = "8",
                description = "Synthetic subjects (default: ${DEFAULT-VALUE}); with --cohort at most this many (0: all).")
        int subjects;

        @Option(names = "--cohort", paramLabel = "DIR", description = "A DICOM tree to run on instead of a synthetic cohort.")
        Path cohort;

        @Option(names = "--roi", paramLabel = "NAME", defaultValue = "GTV",
                description = "The RTSTRUCT ROI to extract features from (default: ${DEFAULT-VALUE}, the synthetic cohort's).")
        String roi;

        @Option(names = "--modality", paramLabel = "M", defaultValue = "CT", description = "Image series to use (default: ${DEFAULT-VALUE}).")
        String modality;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Synthetic cohort seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", paramLabel = "DIR",
                description = "Output folder (default: cohort-bench-DATE-TIME in the current folder).")
        Path out;

        @Option(names = "--work", paramLabel = "DIR",
                description = "Work folder of the runs (default: OUT/work); on a cluster a folder every machine sees.")
        Path work;

        @Option(names = "--network", paramLabel = "FILE",
                description = "The network to run: sources named by --series-source and --rtstruct-source (and 'roi', "
                        + "if it has one), the chain's tools. Default: examples/radiomics/dicom-ct.yaml of the checkout "
                        + "the launcher runs from, else a bundled network with the same chain.")
        Path network;

        @Option(names = "--series-source", paramLabel = "ID", defaultValue = "ct", description = "Default: ${DEFAULT-VALUE}.")
        String seriesSource;

        @Option(names = "--rtstruct-source", paramLabel = "ID", defaultValue = "rtstruct", description = "Default: ${DEFAULT-VALUE}.")
        String rtstructSource;

        @Option(names = "--settings", paramLabel = "FILE",
                description = "IBSI settings YAML (default: the bundled CT settings: 2 mm, bin width 25 HU).")
        Path settings;

        @Option(names = "--baseline-subjects", paramLabel = "N", defaultValue = "-1",
                description = "Subjects for the process-per-job baseline: 0 skips it, -1 (default) all.")
        int baselineSubjects;

        @Option(names = "--baseline-parallelism", paramLabel = "N",
                description = "Baseline JVMs at once (default: the largest --cores).")
        Integer baselineParallelism;

        @Option(names = "--reps", paramLabel = "N", defaultValue = "3",
                description = "Timed repetitions of the tools alone and of each run; the fastest counts, as other load "
                        + "on a shared machine only adds time (default: ${DEFAULT-VALUE}). The baseline runs once.")
        int reps;

        @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting; repeatable.")
        Map<String, String> conf = new LinkedHashMap<>();

        @Option(names = "--keep", paramLabel = "all|sinks|none", defaultValue = "all",
                description = "Which job outputs the runs keep, as cohortflow run --keep (default: ${DEFAULT-VALUE}).")
        String keep;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path dir = out != null ? out : Path.of("cohort-bench-" + LocalDateTime.now()
                    .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
            int parallel = baselineParallelism != null ? baselineParallelism : cores.stream().mapToInt(Integer::intValue).max().orElse(1);
            Path net = network;
            String home = System.getProperty("cohortflow.home");
            if (net == null && home != null && Files.isRegularFile(Path.of(home, EXAMPLE))) {
                net = Path.of(home, EXAMPLE);
            }
            CohortBenchmark.Options options;
            try {
                options = new CohortBenchmark.Options(executors, cores, Optional.ofNullable(master), subjects,
                        Optional.ofNullable(cohort), dir, Optional.ofNullable(work), seed, roi, modality, seriesSource,
                        rtstructSource, Optional.ofNullable(net), Optional.ofNullable(settings), baselineSubjects,
                        parallel, reps, conf, org.cohortflow.executors.ExecutionPolicy.DEFAULT.withKeep(switch (keep) {
                            case "all" -> org.cohortflow.executors.ExecutionPolicy.Keep.ALL;
                            case "sinks" -> org.cohortflow.executors.ExecutionPolicy.Keep.SINKS;
                            case "none" -> org.cohortflow.executors.ExecutionPolicy.Keep.NONE;
                            default -> throw new IllegalArgumentException("--keep takes all, sinks or none, not '" + keep + "'");
                        }));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (master != null && !executors.contains("spark")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--master needs --executor spark");
            }
            PrintStream log = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            CohortBenchResult r = new CohortBenchmark(options, log).run();
            log.println();
            log.println(Summary.markdown(r));
            log.println("report: " + dir.toAbsolutePath().resolve("cohort-bench.html"));
            log.println("data:   " + dir.toAbsolutePath().resolve("cohort-bench.json"));
            return 0;
        }
    }
}
