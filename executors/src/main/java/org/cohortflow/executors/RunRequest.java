package org.cohortflow.executors;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.executors.task.Timeouts;

/**
 * Everything {@code cohortflow run} is asked to do; see {@link Runner} for the meaning of each option.
 *
 * @param network     the network YAML file
 * @param toolDirs    folders searched recursively for command-line tool YAML files
 * @param sources     {@code --source ID=URI} arguments, in order
 * @param samples     a sample sheet CSV
 * @param executor    {@code local} or {@code spark}
 * @param master      Spark master URL (only with {@code spark}); default {@code local[*]}
 * @param work        work folder (path or URI); the run folder is {@code <work>/<run-id>}
 * @param runId       run folder name; default the network id
 * @param resume      continue an existing run folder, reusing valid results
 * @param parallelism local executor threads; 0 for one per processor
 * @param taskRetries Spark attempts after a transient task failure
 * @param sparkConf   extra Spark settings ({@code --conf k=v})
 * @param hadoopConf  extra Hadoop settings for storage ({@code --hadoop k=v})
 * @param progress    when to draw the progress bar
 * @param console     where the progress bar and summary go
 * @param writes      waiting for folders other runs hold ({@code --wait}), replacing their outputs ({@code --overwrite})
 * @param timeout     how long a job of a tool without a timeout of its own may run ({@code --timeout})
 * @param execution   which outputs are kept ({@code --keep}), input hashing ({@code --rehash}), task forming
 */
public record RunRequest(Path network, List<Path> toolDirs, List<SourceBinding.SourceArgument> sources,
                         Optional<Path> samples, String executor, Optional<String> master, String work,
                         Optional<String> runId, boolean resume, int parallelism, int taskRetries,
                         Map<String, String> sparkConf, Map<String, String> hadoopConf, RunSpec.Progress progress,
                         PrintStream console, WritePolicy writes, Duration timeout, ExecutionPolicy execution) {

    /** A request with the default {@link ExecutionPolicy}. */
    public RunRequest(Path network, List<Path> toolDirs, List<SourceBinding.SourceArgument> sources,
                      Optional<Path> samples, String executor, Optional<String> master, String work,
                      Optional<String> runId, boolean resume, int parallelism, int taskRetries,
                      Map<String, String> sparkConf, Map<String, String> hadoopConf, RunSpec.Progress progress,
                      PrintStream console, WritePolicy writes, Duration timeout) {
        this(network, toolDirs, sources, samples, executor, master, work, runId, resume, parallelism, taskRetries,
                sparkConf, hadoopConf, progress, console, writes, timeout, ExecutionPolicy.DEFAULT);
    }

    /** A request with the default write policy and timeout ({@link WritePolicy#SAFE}, {@link Timeouts#DEFAULT}). */
    public RunRequest(Path network, List<Path> toolDirs, List<SourceBinding.SourceArgument> sources,
                      Optional<Path> samples, String executor, Optional<String> master, String work,
                      Optional<String> runId, boolean resume, int parallelism, int taskRetries,
                      Map<String, String> sparkConf, Map<String, String> hadoopConf, RunSpec.Progress progress,
                      PrintStream console) {
        this(network, toolDirs, sources, samples, executor, master, work, runId, resume, parallelism, taskRetries,
                sparkConf, hadoopConf, progress, console, WritePolicy.SAFE, Timeouts.DEFAULT);
    }

    public RunRequest {
        java.util.Objects.requireNonNull(execution, "execution");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be a positive duration, not " + timeout);
        }
        toolDirs = List.copyOf(toolDirs);
        sources = List.copyOf(sources);
        sparkConf = Map.copyOf(sparkConf);
        hadoopConf = Map.copyOf(hadoopConf);
        if (!executor.equals("local") && !executor.equals("spark")) {
            throw new IllegalArgumentException("--executor takes local or spark, not '" + executor + "'");
        }
        if (master.isPresent() && executor.equals("local")) {
            throw new IllegalArgumentException("--master needs --executor spark");
        }
    }

    /** A local run with defaults: no sheet, run id = network id, no resume, all cores, progress AUTO. */
    public static RunRequest local(Path network, List<Path> toolDirs, List<SourceBinding.SourceArgument> sources, String work) {
        return new RunRequest(network, toolDirs, sources, Optional.empty(), "local", Optional.empty(), work,
                Optional.empty(), false, 0, 3, Map.of(), Map.of(), RunSpec.Progress.AUTO, System.err);
    }

    public RunRequest withExecutor(String name, Optional<String> masterUrl) {
        return new RunRequest(network, toolDirs, sources, samples, name, masterUrl, work, runId, resume, parallelism,
                taskRetries, sparkConf, hadoopConf, progress, console, writes, timeout, execution);
    }

    public RunRequest withResume(boolean r) {
        return new RunRequest(network, toolDirs, sources, samples, executor, master, work, runId, r, parallelism,
                taskRetries, sparkConf, hadoopConf, progress, console, writes, timeout, execution);
    }

    public RunRequest withSamples(Optional<Path> sheet) {
        return new RunRequest(network, toolDirs, sources, sheet, executor, master, work, runId, resume, parallelism,
                taskRetries, sparkConf, hadoopConf, progress, console, writes, timeout, execution);
    }

    public RunRequest withParallelism(int p) {
        return new RunRequest(network, toolDirs, sources, samples, executor, master, work, runId, resume, p,
                taskRetries, sparkConf, hadoopConf, progress, console, writes, timeout, execution);
    }

    public RunRequest withProgress(RunSpec.Progress p, PrintStream out) {
        return new RunRequest(network, toolDirs, sources, samples, executor, master, work, runId, resume, parallelism,
                taskRetries, sparkConf, hadoopConf, p, out, writes, timeout, execution);
    }

    public RunRequest withWrites(WritePolicy w) {
        return new RunRequest(network, toolDirs, sources, samples, executor, master, work, runId, resume, parallelism,
                taskRetries, sparkConf, hadoopConf, progress, console, w, timeout, execution);
    }

    public RunRequest withTimeout(Duration t) {
        return new RunRequest(network, toolDirs, sources, samples, executor, master, work, runId, resume, parallelism,
                taskRetries, sparkConf, hadoopConf, progress, console, writes, t, execution);
    }

    public RunRequest withExecution(ExecutionPolicy e) {
        return new RunRequest(network, toolDirs, sources, samples, executor, master, work, runId, resume, parallelism,
                taskRetries, sparkConf, hadoopConf, progress, console, writes, timeout, e);
    }

    public RunRequest withConf(Map<String, String> spark, Map<String, String> hadoop) {
        return new RunRequest(network, toolDirs, sources, samples, executor, master, work, runId, resume, parallelism,
                taskRetries, spark, hadoop, progress, console, writes, timeout, execution);
    }
}
