package org.cohortflow.executors.task;

import java.io.Serializable;
import java.util.Map;
import org.cohortflow.executors.ToolSet;

/**
 * Everything a task needs besides its work item, shipped once per partition: the run folder, storage
 * settings and the tools.
 *
 * @param runDir     URI of the run folder {@code <work>/<run-id>}
 * @param hadoopConf Hadoop settings for storage (e.g. {@code fs.defaultFS})
 */
public record WorkerEnvironment(String runDir, Map<String, String> hadoopConf, ToolSet tools) implements Serializable {
    private static final long serialVersionUID = 1L;

    public WorkerEnvironment {
        hadoopConf = Map.copyOf(hadoopConf);
    }
}
