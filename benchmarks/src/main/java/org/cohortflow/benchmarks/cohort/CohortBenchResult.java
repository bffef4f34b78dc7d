package org.cohortflow.benchmarks.cohort;

import java.util.List;
import java.util.Map;

/**
 * Everything one {@code cohortflow bench cohort} run measured; written as {@code cohort-bench.json} and
 * rendered as {@code cohort-bench.html}. Times are wall-clock milliseconds unless a name says otherwise.
 *
 * @param date        ISO-8601 time the benchmark started
 * @param machine     what it ran on
 * @param cohort      which cohort
 * @param network     the network file that the executor runs used
 * @param tools       the same tool chain called directly in this JVM, one subject after the other: the time
 *                    spent inside tools, against which every run's overhead is measured
 * @param runs        one entry per executor and core count
 * @param baseline    the process-per-job baseline, or null when it was skipped
 */
public record CohortBenchResult(String date, Machine machine, Cohort cohort, String network, ToolTimes tools,
                                List<Run> runs, Baseline baseline) {

    /**
     * @param cores               available processors
     * @param loadAverageBefore   the system load average when the benchmark started (other work on the machine)
     * @param loadAverageAfter    the same when it ended
     */
    public record Machine(String host, int cores, String java, String os, long maxHeapMb, double loadAverageBefore,
                          double loadAverageAfter) {}

    /**
     * @param kind     {@code synthetic} (written by the benchmark) or {@code dicom} (a tree given with --cohort)
     * @param subjects number of subjects (image series with an RTSTRUCT)
     * @param seed     the synthetic cohort's seed; null for a given tree
     */
    public record Cohort(String kind, String path, int subjects, Long seed, String roi, long prepareMs) {}

    /**
     * The bare tool chain (no framework): per tool, the sum over subjects of the time its body ran.
     *
     * @param perTool  tool id -> total milliseconds over all subjects
     * @param totalMs  sum over tools: the core time a perfect framework would need
     * @param warmupMs the untimed warm-up pass over the cohort that preceded it (JIT compilation)
     */
    public record ToolTimes(Map<String, Double> perTool, double totalMs, double warmupMs) {}

    /**
     * One executor run over the whole cohort.
     *
     * @param executor          {@code local} or {@code spark}
     * @param master            the Spark master URL, null for local
     * @param cores             threads (local) or Spark cores asked for
     * @param slots             the executor's parallelism: local threads, Spark's default parallelism (on a
     *                          cluster at least 2 whatever {@code spark.cores.max} is, so not the cores in use)
     * @param startupMs         Spark session start-up (not in {@code wallMs}); 0 for local
     * @param wallMs            the run from planning to the last sink write (the fastest repetition)
     * @param wallsMs           every repetition's wall time, in order
     * @param subjectsPerMinute subjects / wall time
     * @param overheadShare     1 - tool core time / (wall time x cores): the share of the cores' time not spent
     *                          inside tools (framework work, waiting and idle cores)
     * @param jobShare          sum of the jobs' own times (job.json: inputs read and hashed, tool, outputs
     *                          stored) / (wall time x cores)
     * @param stages            per node of the network
     * @param sameAsTools       the run's cohort table has the same rows as the bare tool chain's
     * @param runDir            the run folder (events.jsonl, report.json, job folders)
     */
    public record Run(String executor, String master, int cores, int slots, double startupMs, double wallMs,
                      List<Double> wallsMs, double subjectsPerMinute, double overheadShare, double jobShare, List<Stage> stages,
                      boolean sameAsTools, String runDir) {}

    /**
     * One node of a run.
     *
     * @param spanMs  from the node's first {@code running} event to its last finished job (events.jsonl)
     * @param jobMs   sum of its jobs' times (job.json start..end, where the job ran)
     * @param toolMs  the same tool's time in the bare chain (null when the chain has no such step)
     */
    public record Stage(String node, String tool, int jobs, double spanMs, double jobMs, Double toolMs) {}

    /**
     * fastr's way: one new JVM per job, inputs and outputs passed through files.
     *
     * @param processes         JVMs started
     * @param parallelism       at most this many at once
     * @param meanProcessMs     mean wall time of one process, start to exit
     * @param sameAsTools       its cohort table has the same rows as the bare tool chain's
     */
    public record Baseline(int subjects, int processes, int parallelism, double wallMs, double subjectsPerMinute,
                           double meanProcessMs, Map<String, Double> meanProcessMsPerTool, boolean sameAsTools) {}
}
