package org.cohortflow.benchmarks.executors;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.Executor;
import org.cohortflow.executors.ExecutorProviders;
import org.cohortflow.executors.ExecutorSettings;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.ToolSet;
import org.cohortflow.executors.report.RunReport;

/**
 * Framework overhead per job: a network of N trivial Java jobs ({@code basic/AddInt:1.0}, one per
 * sample, plus one collapsing sum) on the local and the Spark executor, against a process-per-job
 * baseline (one new JVM per job). Every executor job is fully handled: planned, input hashed, cache
 * key computed, output stored and a {@code job.json} record written atomically, events logged.
 *
 * <pre>
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt)" [Spark --add-opens]
 *     org.cohortflow.benchmarks.executors.OverheadBenchmark [JOBS] [BASELINE_JOBS] [PARALLELISM]
 * </pre>
 */
public final class OverheadBenchmark {
    private static final String NETWORK = """
            network: overhead
            sources:
              numbers: {type: Int}
            nodes:
              add: {tool: basic/AddInt:1.0, inputs: {left: numbers}, parameters: {right: 1}}
              total: {tool: basic/Sum:1.0, inputs: {values: {from: add.result, collapse: numbers}}}
            sinks:
              total: {from: total.total, url: "SINK/total.txt"}
            """;

    private OverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int baselineJobs = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        Path dir = Files.createTempDirectory("cohortflow-overhead-");
        System.out.printf(Locale.ROOT, "%d jobs, parallelism %d, %d cores, folder %s%n", jobs, parallelism,
                Runtime.getRuntime().availableProcessors(), dir);

        double local;
        try (Executor e = ExecutorProviders.create("local", ExecutorSettings.defaults().withParallelism(parallelism))) {
            run(e, dir.resolve("warm-local"), 2_000);
            local = run(e, dir.resolve("local"), jobs);
        }
        long sparkStart = System.nanoTime();
        double spark;
        try (Executor e = ExecutorProviders.create("spark", ExecutorSettings.defaults().withMaster("local[" + parallelism + "]")
                .withTaskRetries(0).withConf(Map.of("spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1")))) {
            double startup = (System.nanoTime() - sparkStart) / 1e6;
            System.out.printf(Locale.ROOT, "spark session start-up: %.0f ms (not included below)%n", startup);
            run(e, dir.resolve("warm-spark"), 2_000);
            spark = run(e, dir.resolve("spark"), jobs);
        }
        double baseline = processPerJob(dir.resolve("baseline"), baselineJobs, parallelism);

        System.out.println();
        System.out.println("| executor | jobs | ms/job | baseline / executor |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf(Locale.ROOT, "| local (thread pool) | %d | %.3f | %.0fx |%n", jobs + 1, local, baseline / local);
        System.out.printf(Locale.ROOT, "| spark local[%d] | %d | %.3f | %.0fx |%n", parallelism, jobs + 1, spark, baseline / spark);
        System.out.printf(Locale.ROOT, "| process per job (new JVM) | %d | %.1f | 1x |%n", baselineJobs, baseline);
    }

    /** Runs the network over {@code n} samples; returns wall-clock ms per job. */
    private static double run(Executor executor, Path dir, int n) {
        NetworkYaml.Loaded net = NetworkYaml.read(NETWORK.replace("SINK", dir.resolve("sinks").toUri().toString()), "overhead.yaml");
        SourceData.Builder data = SourceData.builder();
        for (int i = 0; i < n; i++) {
            data.add("numbers", "s" + i, Integer.toString(i));
        }
        RunSpec spec = RunSpec.of(net.network(), net.locator(), ToolSet.classPathOnly(), data.build(), dir.resolve("work").toUri());
        long t0 = System.nanoTime();
        RunReport r = executor.run(spec);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.exitCode() != 0) {
            throw new IllegalStateException(r.summary());
        }
        double perJob = ms / (n + 1);
        System.out.printf(Locale.ROOT, "%-6s %6d jobs in %8.0f ms: %.3f ms/job%n", executor.name(), n + 1, ms, perJob);
        return perJob;
    }

    /** One new JVM per job, {@code parallelism} at a time; returns wall-clock ms per job. */
    private static double processPerJob(Path dir, int n, int parallelism) throws Exception {
        Files.createDirectories(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        long t0 = System.nanoTime();
        Process[] running = new Process[parallelism];
        for (int i = 0; i < n; i++) {
            int slot = i % parallelism;
            if (running[slot] != null && running[slot].waitFor() != 0) {
                throw new IllegalStateException("baseline job failed");
            }
            running[slot] = new ProcessBuilder(java, "-cp", cp, OneJob.class.getName(), Integer.toString(i), dir.toString())
                    .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        }
        for (Process p : running) {
            if (p != null && p.waitFor() != 0) {
                throw new IllegalStateException("baseline job failed");
            }
        }
        double perJob = (System.nanoTime() - t0) / 1e6 / n;
        System.out.printf(Locale.ROOT, "process per job: %d jobs, %.1f ms/job%n", n, perJob);
        return perJob;
    }
}
