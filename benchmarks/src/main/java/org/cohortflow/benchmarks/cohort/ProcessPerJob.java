package org.cohortflow.benchmarks.cohort;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The fastr-style baseline: every job of the radiomics network in a new JVM ({@link JobProcess}), data
 * passed between jobs as files. Each subject's chain (volume, mask, features) runs in order; up to
 * {@code parallelism} subjects at once; then one process merges the tables.
 */
final class ProcessPerJob {
    /** What the baseline measured; {@code table} is the merged cohort table it wrote. */
    record Result(double wallMs, int processes, Map<String, List<Double>> processMsPerTool, Path table) {}

    private final List<String> java;
    private final Path settings;
    private final String roi;
    private final ToolChain chain;

    /**
     * @param jvmOptions options for each job's JVM (heap); the class path is this JVM's
     * @param chain      which optional steps to run
     */
    ProcessPerJob(List<String> jvmOptions, Path settings, String roi, ToolChain chain) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), JobProcess.class.getName()));
        this.java = List.copyOf(cmd);
        this.settings = settings;
        this.roi = roi;
        this.chain = chain;
    }

    Result run(List<ToolChain.Subject> subjects, Path dir, int parallelism) throws Exception {
        Map<String, List<Double>> times = new HashMap<>();
        long t0 = System.nanoTime();
        List<Path> tables = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<Path>> futures = new ArrayList<>();
            for (ToolChain.Subject s : subjects) {
                futures.add(pool.submit(() -> subject(s, dir.resolve(s.id()), times)));
            }
            for (Future<Path> f : futures) {
                tables.add(f.get());
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        List<String> inputs = new ArrayList<>();
        tables.forEach(t -> inputs.add("tables=stored:FeatureTable:" + t));
        Path table = job(ToolChain.MERGE, dir.resolve("cohort"), "all", inputs, "table", times);
        if (chain.runs(ToolChain.PARQUET)) {
            job(ToolChain.PARQUET, dir.resolve("cohort-parquet"), "all", List.of("table=stored:FeatureTable:" + table),
                    "parquet", times);
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        int processes = times.values().stream().mapToInt(List::size).sum();
        return new Result(wall, processes, times, table);
    }

    private Path subject(ToolChain.Subject s, Path dir, Map<String, List<Double>> times) throws Exception {
        URI series = s.series();
        Path volume = job(ToolChain.VOLUME, dir.resolve("volume"), s.id(), List.of("series=uri:" + series), "volume", times);
        Path mask = job(ToolChain.MASK, dir.resolve("mask"), s.id(), List.of("rtstruct=uri:" + s.rtstruct(),
                "series=uri:" + series, "roi=text:" + roi), "mask", times);
        Path table = job(ToolChain.FEATURES, dir.resolve("features"), s.id(), List.of("image=stored:Volume:" + volume,
                "mask=stored:Mask:" + mask, "settings=uri:" + settings.toUri(), "roi=text:" + roi), "features", times);
        if (chain.runs(ToolChain.SUBJECT_JSON)) {
            job(ToolChain.SUBJECT_JSON, dir.resolve("json"), s.id(), List.of("table=stored:FeatureTable:" + table), "json", times);
        }
        return table;
    }

    /** Runs one job in a new JVM; returns the file of its first value on {@code output}. */
    private Path job(String tool, Path out, String sample, List<String> inputs, String output,
                     Map<String, List<Double>> times) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(java);
        cmd.addAll(List.of(tool, out.toString(), sample));
        cmd.addAll(inputs);
        Files.createDirectories(out);
        File log = out.resolve("process.log").toFile();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(tool + " for " + sample + " did not finish in 10 minutes; see " + log);
            }
        } finally {
            p.destroyForcibly();
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(tool + " for " + sample + " failed with exit code " + p.exitValue() + ":\n"
                    + Files.readString(log.toPath()));
        }
        synchronized (times) {
            times.computeIfAbsent(tool, k -> new ArrayList<>()).add(ms);
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().startsWith(output + "-0.")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(tool + " wrote no " + output + " to " + out));
        }
    }
}
