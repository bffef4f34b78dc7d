package org.cohortflow.executors.process;

import java.nio.file.Path;

/**
 * A job's private local folder ({@code <tmp>/cohortflow-job-*}): staged inputs, the tool's working
 * folder and outputs until they are stored. It records which JVM owns it and which tool processes run
 * for it, so that whatever a killed JVM leaves behind can be found and ended. Closing it deletes it.
 */
public final class JobFolder implements AutoCloseable {
    /** Holds the owner ({@code PID START-MILLIS} of the JVM) of a job folder. */
    static final String OWNER = "owner";
    /** One line {@code PID START-MILLIS} per tool process started for the job. */
    static final String PROCESSES = "processes";

    private final ToolProcesses registry;
    private final Path path;

    JobFolder(ToolProcesses registry, Path path) {
        this.registry = registry;
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Deletes the folder; a tool process still running for it is killed first. */
    @Override
    public void close() {
        registry.release(this);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
