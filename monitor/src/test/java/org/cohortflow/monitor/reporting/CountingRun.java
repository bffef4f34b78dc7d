package org.cohortflow.monitor.reporting;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cohortflow.executors.RunRequest;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.Runner;
import org.cohortflow.executors.SourceBinding;
import org.cohortflow.executors.monitor.MonitorSettings;

/**
 * A real cohortflow run for the monitor's tests: {@code n} text files counted by a command-line tool that
 * pauses a little and fails for the one sample containing "bad", then a total over the others
 * ({@code missing: skip}), with both sinks written under {@code dir/sinks}.
 */
final class CountingRun {
    static final Path TOOLS = Path.of("src/test/resources/tools");
    private final Path dir;
    private final String console;
    private final Runner.Result result;

    private CountingRun(Path dir, String console, Runner.Result result) {
        this.dir = dir;
        this.console = console;
        this.result = result;
    }

    /** Writes the inputs for {@code samples} samples (sample {@code s03} is the bad one) and the network into {@code dir}. */
    static void prepare(Path dir, int samples) {
        try {
            Path in = Files.createDirectories(dir.resolve("in"));
            for (int i = 1; i <= samples; i++) {
                String id = String.format("s%02d", i);
                Files.writeString(in.resolve(id + ".txt"), i == 3 ? "bad\n" : "x\n".repeat(i));
            }
            Files.writeString(dir.resolve("counting.yaml"), """
                    network: counting
                    sources:
                      texts: {type: TextFile}
                    nodes:
                      count: {tool: test/SlowCount:1.0, inputs: {text: texts}}
                      total: {tool: basic/Sum:1.0, inputs: {values: {from: count.lines, collapse: texts, missing: skip}}}
                    sinks:
                      lines: {from: count.lines, url: "SINKS/lines/{sample_id}.txt"}
                      total: {from: total.total, url: "SINKS/total.txt"}
                    """.replace("SINKS", dir.resolve("sinks").toUri().toString().replaceAll("/$", "")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the prepared network in {@code dir} with run id {@code runId}, reporting to {@code monitor} if given. */
    static CountingRun run(Path dir, String runId, String executor, Optional<MonitorSettings> monitor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8);
        RunRequest request = RunRequest.local(dir.resolve("counting.yaml"), List.of(TOOLS),
                        List.of(SourceBinding.SourceArgument.parse("texts=" + dir.resolve("in") + "/*.txt")),
                        dir.resolve("work").toString())
                .withParallelism(2)
                .withProgress(RunSpec.Progress.OFF, console);
        request = new RunRequest(request.network(), request.toolDirs(), request.sources(), request.samples(), request.executor(),
                request.master(), request.work(), Optional.of(runId), false, 2, 1, Map.of("spark.ui.enabled", "false"),
                Map.of(), RunSpec.Progress.OFF, console);
        if (executor.equals("spark")) {
            request = request.withExecutor("spark", Optional.of("local[2]"));
        }
        Runner.Result r = Runner.run(request, monitor);
        return new CountingRun(dir, out.toString(StandardCharsets.UTF_8), r);
    }

    /** A run's exit code and console output. */
    record Outcome(int exitCode, String output) {}

    Outcome outcome() {
        return new Outcome(result.exitCode(), console);
    }

    Runner.Result result() {
        return result;
    }

    String console() {
        return console;
    }

    Path runDir(String runId) {
        return dir.resolve("work").resolve(runId);
    }

    /** The sink outputs: relative path -> content. */
    static Map<String, String> sinks(Path dir) {
        Map<String, String> out = new TreeMap<>();
        Path root = dir.resolve("sinks");
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".prov.json")).forEach(p -> {
                try {
                    out.put(root.relativize(p).toString(), Files.readString(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
