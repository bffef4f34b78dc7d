package org.cohortflow.executors.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cohortflow.executors.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What JVMs that died left behind is ended; what living JVMs own is not touched; a dead watchdog is replaced. */
class ToolProcessesTest {

    @Test
    void theSweepEndsTheToolsRecordedByADeadJvmAndDeletesItsJobFolderButLeavesOthersAlone(@TempDir Path tmp)
            throws Exception {
        Process orphan = new ProcessBuilder("setsid", "sleep", "60").start();
        Process stranger = new ProcessBuilder("sleep", "60").start();
        try {
            Process gone = new ProcessBuilder("true").start();
            assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
            Path dead = folder(tmp, "dead", gone.pid() + " 1",
                    orphan.pid() + " " + start(orphan.toHandle()) + "\n"
                            // a PID recorded with another start time now belongs to someone else
                            + stranger.pid() + " 12345\n");
            ProcessHandle self = ProcessHandle.current();
            Path living = folder(tmp, "living", self.pid() + " " + start(self), orphan.pid() + " " + start(orphan.toHandle()));
            Path foreign = Files.createDirectories(tmp.resolve("cohortflow-job-foreign"));

            assertEquals(1, new ToolProcesses(tmp).sweep());

            assertFalse(Processes.running(orphan.pid()), "the dead JVM's tool was not ended");
            assertTrue(stranger.isAlive(), "a process that only reuses a recorded PID was killed");
            assertFalse(Files.exists(dead));
            assertTrue(Files.isDirectory(living), "the folder of a living JVM was removed");
            assertTrue(Files.isDirectory(foreign), "a folder without owner is none of ours");
        } finally {
            orphan.destroyForcibly();
            stranger.destroyForcibly();
        }
    }

    @Test
    void aWatchdogThatDiedIsStartedAgainWithTheNextJobFolder() throws Exception {
        ToolProcesses jvm = ToolProcesses.ofThisJvm();
        try (JobFolder first = jvm.newJobFolder()) {
            List<ProcessHandle> dogs = watchdogs();
            assertEquals(1, dogs.size(), "one watchdog for this JVM");
            dogs.get(0).destroyForcibly();
            dogs.get(0).onExit().get(10, TimeUnit.SECONDS);
        }
        try (JobFolder second = jvm.newJobFolder()) {
            assertEquals(1, watchdogs().size(), "the watchdog was not replaced");
            assertTrue(Files.readString(second.path().resolve(JobFolder.OWNER)).startsWith(ProcessHandle.current().pid() + " "));
        }
    }

    @Test
    void aToolIsRecordedInItsJobFolderWithItsPidAndStartTimeBeforeItRunsInASessionOfItsOwn() throws Exception {
        try (JobFolder folder = ToolProcesses.ofThisJvm().newJobFolder()) {
            Path ran = folder.path().resolve("ran");
            Process p = ToolProcesses.ofThisJvm().start(new ProcessBuilder("sh", "-c",
                    "cat \"$1/processes\" > \"$1/seen\"; ps -o sid= -p $$ > \"$1/ran\"; sleep 5", "tool",
                    folder.path().toString()), folder);
            for (int i = 0; i < 200 && !(Files.exists(ran) && Files.size(ran) > 0); i++) {
                Thread.sleep(25);
            }
            String record = p.pid() + " " + start(p.toHandle()) + "\n";
            assertEquals(record, Files.readString(folder.path().resolve("processes")));
            assertEquals(record, Files.readString(folder.path().resolve("seen")), "recorded before the tool ran");
            assertEquals(Long.toString(p.pid()), Files.readString(ran).trim(), "the tool leads its own session");
            ToolProcesses.ofThisJvm().kill(p);
            ToolProcesses.ofThisJvm().finished(p);
            assertFalse(Processes.running(p.pid()));
        }
    }

    private static List<ProcessHandle> watchdogs() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains("cohortflow-watchdog")).orElse(false))
                .toList();
    }

    private static Path folder(Path tmp, String name, String owner, String processes) throws Exception {
        Path d = Files.createDirectories(tmp.resolve("cohortflow-job-" + name));
        Files.writeString(d.resolve(JobFolder.OWNER), owner);
        Files.writeString(d.resolve(JobFolder.PROCESSES), processes);
        return d;
    }

    private static long start(ProcessHandle h) {
        return ToolProcesses.startTime(h);
    }
}
