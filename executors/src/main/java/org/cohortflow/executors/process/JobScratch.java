package org.cohortflow.executors.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job's {@link JobFolder}, made the first time something needs it: a Java tool that works on values in memory
 * (most do) and inputs already on this machine's disk need none, and making, recording and deleting a folder for
 * every job cost about as much as a small subject's quickest tool. Closing it deletes the folder if it was made.
 */
public final class JobScratch implements AutoCloseable {
    private final ToolProcesses processes;
    private JobFolder folder;

    public JobScratch(ToolProcesses processes) {
        this.processes = processes;
    }

    /** The job folder, made now if it was not yet. */
    public synchronized JobFolder folder() throws IOException {
        if (folder == null) {
            folder = processes.newJobFolder();
        }
        return folder;
    }

    /** The folder's {@code work} subfolder, where a tool writes its files; for tools, which cannot throw here. */
    public Path work() {
        try {
            return Files.createDirectories(folder().path().resolve("work"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the job's working folder", e);
        }
    }

    @Override
    public synchronized void close() {
        if (folder != null) {
            folder.close();
        }
    }
}
