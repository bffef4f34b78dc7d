package org.cohortflow.benchmarks.imaging;

import java.util.List;

/**
 * Everything one {@code cohortflow bench index-hdfs} run measured; written as {@code index-hdfs-bench.json}.
 * Times are wall-clock seconds, sizes bytes.
 *
 * @param date         ISO-8601 time the benchmark started
 * @param machine      what it ran on
 * @param tree         the DICOM tree that was indexed
 * @param setup        what preceded the measurements (not in any of them)
 * @param threads      worker threads of every measurement
 * @param reps         timed repetitions of each measurement, after one untimed warm-up round
 * @param measurements local index, HDFS index (header-only) and the HDFS whole-file baseline, in that order
 * @param ratios       the header-only HDFS index against the baseline, and against the local index
 * @param checks       whether the measurements did the same work
 */
public record RemoteIndexResult(String date, Machine machine, Tree tree, Setup setup, int threads, int reps,
                                List<Measurement> measurements, Ratios ratios, Checks checks) {

    /** The measurement keys, in the order they run in each round. */
    public static final String LOCAL = "local_index", HDFS = "hdfs_index", BASELINE = "hdfs_whole_files";

    /** The measurement with {@code key}. */
    public Measurement measurement(String key) {
        return measurements.stream().filter(m -> m.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no measurement " + key));
    }

    /**
     * @param loadAverageBefore the one-minute load average when the benchmark started (other work on the machine)
     * @param loadAverageAfter  the same when it ended
     */
    public record Machine(String host, int cores, String java, String os, long maxHeapMb, double loadAverageBefore,
                          double loadAverageAfter) {}

    /**
     * @param kind     {@code synthetic} (written by the benchmark) or {@code dicom} (a tree given with --cohort)
     * @param path     the local tree
     * @param subjects synthetic subjects; null for a given tree
     * @param grid     the synthetic CT grid as {@code COLUMNSxROWSxSLICES}; null for a given tree
     * @param seed     the synthetic cohort's seed; null for a given tree
     * @param files    regular files in the tree
     * @param bytes    their total size
     */
    public record Tree(String kind, String path, Integer subjects, String grid, Long seed, int files, long bytes) {}

    /**
     * @param cohortSeconds writing the synthetic cohort (0 for a given tree)
     * @param hdfsStartSeconds starting the in-process HDFS (one name node, one data node)
     * @param copySeconds   copying the tree into HDFS
     * @param hdfsRoot      the tree's copy in HDFS
     */
    public record Setup(double cohortSeconds, double hdfsStartSeconds, double copySeconds, String hdfsRoot) {}

    /**
     * One way of going over the tree, repeated.
     *
     * @param key             {@link #LOCAL}, {@link #HDFS} or {@link #BASELINE}
     * @param label           what it is, for the table
     * @param files           files listed (index rows + failures, or files read whole)
     * @param rows            index rows (for the baseline: files read)
     * @param failures        index failures (files that are not DICOM or are damaged)
     * @param seconds         every timed repetition, in order
     * @param medianSeconds   the median of {@code seconds}
     * @param minSeconds      the fastest repetition: the least disturbed by other load
     * @param warmupSeconds   the untimed warm-up run
     * @param filesPerSecond  files / median seconds
     * @param hdfsBytes       bytes the HDFS client read in each timed repetition (0 for the local index)
     * @param hdfsBytesMedian the median of {@code hdfsBytes}
     */
    public record Measurement(String key, String label, int files, int rows, int failures, List<Double> seconds,
                              double medianSeconds, double minSeconds, double warmupSeconds, double filesPerSecond,
                              List<Long> hdfsBytes, long hdfsBytesMedian) {}

    /**
     * @param hdfsIndexVsBaselineFilesPerSecond header-only index files/s / whole-file read files/s (above 1:
     *                                          the index is faster)
     * @param hdfsIndexVsBaselineBytes          bytes read by the header-only index / bytes read whole
     * @param hdfsIndexBytesShareOfTree         bytes read by the header-only index / the tree's size
     * @param hdfsIndexVsLocalFilesPerSecond    HDFS index files/s / local index files/s
     */
    public record Ratios(double hdfsIndexVsBaselineFilesPerSecond, double hdfsIndexVsBaselineBytes,
                         double hdfsIndexBytesShareOfTree, double hdfsIndexVsLocalFilesPerSecond) {}

    /**
     * @param sameRows             the local and the HDFS index have the same rows and failures, paths taken
     *                             relative to each tree's root
     * @param rowsCompared         rows of the local index
     * @param differences          up to ten rows (path, then the columns) found on one side only, prefixed
     *                             {@code local:} or {@code hdfs:}
     * @param baselineReadWholeTree the baseline read exactly the tree's bytes in every repetition
     * @param headerOnlyReadLess   the HDFS index read fewer bytes than the baseline
     */
    public record Checks(boolean sameRows, int rowsCompared, List<String> differences, boolean baselineReadWholeTree,
                         boolean headerOnlyReadLess) {
        public boolean passed() {
            return sameRows && baselineReadWholeTree && headerOnlyReadLess;
        }
    }
}
