package org.cohortflow.benchmarks.soak;

import java.util.List;
import org.cohortflow.benchmarks.cohort.CohortBenchResult;

/**
 * What one soak measured, as written to {@code soak.json}.
 *
 * @param date       when it started (ISO-8601 with offset)
 * @param machine    where it ran, with the load average before and after
 * @param setup      what it ran
 * @param executors  per executor: its uninterrupted reference run and the killed-and-resumed runs
 * @param crossExecutor how the spark reference's sinks differ from the local one's (empty: identical, or only
 *                   one executor ran)
 * @param leftovers  what the killed runs left behind, looked for after the last run
 * @param seconds    wall time of the whole soak, cohort included
 * @param passed     every run completed with sinks byte-identical to its executor's reference and nothing is
 *                   left over (the command's exit code is 0 exactly then)
 */
public record SoakResult(String date, CohortBenchResult.Machine machine, Setup setup, List<ExecutorSoak> executors,
                         List<SinkSet.Difference> crossExecutor, Leftovers leftovers, double seconds, boolean passed) {

    /**
     * What the soak ran.
     *
     * @param network   the network file the runs' networks were made from (sinks moved under each run's folder)
     * @param subjects  synthetic subjects
     * @param seed      seed of the cohort and of the kill times
     * @param runs      killed-and-resumed runs per executor
     * @param maxKills  most kills per run (each run is killed 1 to this many times, drawn with the seed)
     * @param command   the child process's command line for a first attempt (class path shortened)
     * @param tmpdir    the children's {@code java.io.tmpdir}, where their job folders go
     * @param killWhen  when a kill comes: at a random time up to the uninterrupted run's duration, or while a
     *                  drawn n-th process of a program runs
     */
    public record Setup(String network, int subjects, long seed, int runs, int maxKills, String command, String tmpdir,
                        String killWhen) {}

    /** One executor's share of the soak. */
    public record ExecutorSoak(String executor, Attempt reference, List<Run> runs, int kills, int resumes,
                               int identical, double seconds) {}

    /**
     * One run: a first attempt, then resumes until one is not killed.
     *
     * @param differences how its final sinks differ from the reference's (empty: byte-identical)
     * @param completed   the last attempt exited 0
     */
    public record Run(String runId, List<Attempt> attempts, int kills, int resumes, boolean completed, double seconds,
                      List<SinkSet.Difference> differences) {}

    /**
     * One child process.
     *
     * @param resume         started with {@code --resume}
     * @param killAfterMs    when the soak killed it, in ms after its start (-1: not killed)
     * @param killed         it was still running then and got {@code kill -9}
     * @param exitCode       its exit code (137 when killed)
     * @param seconds        start to end
     * @param descendants    processes under it just before the kill
     * @param aliveAfterKill those of them still running a second after the kill (informative: a later resume
     *                       may still end them; what runs at the end is in {@link Leftovers})
     * @param descendantsEndedMs when the last of them ended, in ms after the kill (watched for 5 s; -1: some ran
     *                       on; 0: none)
     * @param log            its stdout and stderr
     */
    public record Attempt(int number, boolean resume, long killAfterMs, boolean killed, int exitCode, double seconds,
                          List<String> descendants, List<String> aliveAfterKill, long descendantsEndedMs, String log) {}

    /**
     * What is left after the last run. Processes, temporaries and job folders fail the soak; the rest is shown.
     *
     * @param processes      processes of killed runs still running
     * @param tempFiles      writers' temporaries ({@code .cohortflow-tmp-*}) in sink or work folders
     * @param jobFolders     cohortflow's temporary folders in the children's temporary folder that were not there
     *                       before the soak: job folders ({@code cohortflow-job-*}) and any other {@code cohortflow-*}
     *                       (such as a codec's scratch folder)
     * @param staleLocks     folder locks a killed run left (harmless by design: unlocked, taken over by the next run)
     * @param otherTemp      anything else the children left in their temporary folder (e.g. Spark's scratch
     *                       folders), when it is the soak's own
     */
    public record Leftovers(List<ProcessScan.Leftover> processes, List<String> tempFiles, List<String> jobFolders,
                            List<String> staleLocks, List<String> otherTemp) {
        /** True when nothing that fails the soak is left. */
        public boolean none() {
            return processes.isEmpty() && tempFiles.isEmpty() && jobFolders.isEmpty();
        }
    }
}
