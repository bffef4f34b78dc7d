package org.cohortflow.executors.task;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.executors.cache.InputHashes;
import org.cohortflow.executors.storage.RunLayout;
import org.cohortflow.executors.storage.Storage;

/**
 * What the tasks of one run share where they run, built once per JVM rather than for every batch of tasks or Spark
 * partition: the tool registry (found through {@code ServiceLoader} over the whole class path), the storage (a
 * Hadoop configuration, parsed from XML) and the input hashes with what they learnt. Building these took tens of
 * milliseconds each time, as much as a small subject's tools.
 *
 * @param tools       the run's tools and data types
 * @param storage     the run's storage
 * @param inputHashes content hashes and validity of file inputs, kept in the work folder
 * @param host        this machine's name, for the job records
 */
public record WorkerResources(ToolRegistry tools, Storage storage, InputHashes inputHashes, String host) {

    /** Resources for tasks of the run {@code env} describes. */
    public static WorkerResources of(WorkerEnvironment env) {
        return of(env, env.tools().registry(), new Storage(env.hadoopConf()));
    }

    /** Resources for tasks of the run {@code env} describes, with a registry and storage made for it already. */
    public static WorkerResources of(WorkerEnvironment env, ToolRegistry tools, Storage storage) {
        return new WorkerResources(tools, storage,
                new InputHashes(storage, RunLayout.inputHashes(URI.create(env.runDir())), env.rehash()), hostName());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
