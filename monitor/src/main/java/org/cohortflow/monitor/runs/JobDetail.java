package org.cohortflow.monitor.runs;

/**
 * A job with what its run's report says about its failure.
 *
 * @param command    the command line of a failed command-line tool, else null
 * @param exitCode   its exit code, else null
 * @param stderrTail the tail of its stderr, else null
 * @param folder     the job's folder (stdout.txt, stderr.txt, job.json), else null
 */
public record JobDetail(JobState job, String command, Integer exitCode, String stderrTail, String folder) {}
