package org.cohortflow.executors.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What tests need to know about processes of this machine. */
public final class Processes {
    private Processes() {}

    /**
     * Whether a process runs (a zombie, killed and waiting for its new parent to reap it, does not), waiting up
     * to 5 s for a killed one to go.
     */
    public static boolean running(long pid) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (state(pid) != null && state(pid) != 'Z') {
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

    /** The state letter of {@code /proc/PID/stat} (R, S, Z, ...), or null when there is no such process. */
    private static Character state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
