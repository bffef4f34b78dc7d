package org.cohortflow.executors.testing;

import org.cohortflow.executors.process.ToolProcesses;

/** What tests need to know about processes of this machine. */
public final class Processes {
    private Processes() {}

    /** Whether a process still runs after up to 5 s of waiting for a killed one to go. */
    public static boolean running(long pid) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ToolProcesses.isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return false;
    }
}
