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
 * @param rehash     hash every file input again rather than trust a hash kept with the same path, size and time
 */
public record WorkerEnvironment(String runDir, Map<String, String> hadoopConf, ToolSet tools, boolean rehash)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** An environment that trusts kept input hashes whose stamps still match. */
    public WorkerEnvironment(String runDir, Map<String, String> hadoopConf, ToolSet tools) {
        this(runDir, hadoopConf, tools, false);
    }

    public WorkerEnvironment {
        hadoopConf = Map.copyOf(hadoopConf);
    }
}
