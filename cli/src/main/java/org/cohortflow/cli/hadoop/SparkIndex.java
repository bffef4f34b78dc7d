package org.cohortflow.cli.hadoop;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.cohortflow.executors.Runner;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.spark.SparkSettings;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.FileTree;
import org.cohortflow.imaging.index.IndexResult;

/**
 * Cohort discovery spread over Spark: the driver lists the tree, executors read the headers of their
 * slice of it (each task with a few threads, since the work waits on storage more than on the CPU), and
 * the driver merges the parts. For trees too large for one machine's threads, and to read files where
 * the cluster keeps them.
 */
public final class SparkIndex {
    private SparkIndex() {
    }

    /**
     * Starts a Spark session on {@code master} (else the one spark-submit named, else the embedded {@code local[*]})
     * with the Spark settings {@code conf}, indexes {@code files} on it as {@link #index(JavaSparkContext, TreeSpec, List,
     * int)} does, and stops it.
     */
    public static IndexResult index(Optional<String> master, Map<String, String> conf, TreeSpec spec, List<URI> files,
                                    int threadsPerTask) {
        SparkSettings settings = new SparkSettings(Runner.sparkMaster(master, System.getProperties()), 3, conf);
        try (SparkExecutor sparkExecutor = SparkExecutor.create(settings)) {
            return index(JavaSparkContext.fromSparkContext(sparkExecutor.session().sparkContext()), spec, files, threadsPerTask);
        }
    }

    /**
     * Indexes {@code files} of the tree {@code spec} names, in a few slices per Spark core.
     *
     * @param threadsPerTask header-reading threads in each task
     */
    public static IndexResult index(JavaSparkContext jsc, TreeSpec spec, List<URI> files, int threadsPerTask) {
        if (files.isEmpty()) return new IndexResult(List.of(), List.of());
        int slices = Math.min(files.size(), Math.max(1, jsc.defaultParallelism() * 4));
        List<IndexResult> parts = jsc.parallelize(files, slices).mapPartitions(slice -> {
            List<URI> mine = new ArrayList<>();
            slice.forEachRemaining(mine::add);
            FileTree tree = spec.open();
            return List.of(DicomIndexer.indexFiles(tree, mine, threadsPerTask)).iterator();
        }).collect();
        return IndexResult.merge(parts);
    }
}
