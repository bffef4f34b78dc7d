package org.cohortflow.benchmarks.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Finding a killed run's leftover processes: parsing /proc, and real processes left by a killed parent. */
class ProcessScanTest {
    private static final Map<String, String> MARKERS = Map.of("/soak/work", "names the work folder",
            "/soak/tmp/cohortflow-job-", "names a job folder");

    @Test
    void theParentPidIsReadAfterTheLastParenthesisWhateverTheCommandNameHolds() {
        assertEquals(Optional.of(77L), ProcessScan.parentPid("1234 (a) b) (c) S 77 1234 1234 0 -1 4194560 0"));
        assertEquals(Optional.of(1L), ProcessScan.parentPid("42 (sleep) S 1 42 42 0 -1"));
        assertEquals(Optional.empty(), ProcessScan.parentPid("garbage"));
    }

    @Test
    void aCommandLineHasItsNulSeparatorsAsSpaces() {
        assertEquals("java -cp a:b Main run /w", ProcessScan.commandLine("java\0-cp\0a:b\0Main\0run\0/w\0".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void suspectsAreMarkedOrOrphanedProcessesButNeverTheSoakItselfOrItsAncestors() {
        List<ProcessScan.Proc> procs = List.of(
                new ProcessScan.Proc(1, 0, "/sbin/init"),
                new ProcessScan.Proc(10, 1, "bash ./cohortflow bench soak --out /soak"),
                new ProcessScan.Proc(11, 10, "java BenchCommand soak --work /soak/work"),   // the soak: names the marker
                new ProcessScan.Proc(20, 1, "dcm2niix -o /soak/tmp/cohortflow-job-123/out /dicom"),
                new ProcessScan.Proc(21, 1, "java Cohortflow run n.yaml --work /soak/work --run-id local-1"),
                new ProcessScan.Proc(22, 99, "sh -c watchdog"),                              // parent 99 was killed
                new ProcessScan.Proc(23, 1, "java Cohortflow run --work /elsewhere"));

        List<ProcessScan.Leftover> found = ProcessScan.suspects(procs, MARKERS, Set.of(99L), List.of(), 11);

        assertEquals(List.of(20L, 21L, 22L), found.stream().map(ProcessScan.Leftover::pid).toList());
        assertEquals("names a job folder", found.get(0).why());
        assertEquals("names the work folder", found.get(1).why());
        assertTrue(found.get(2).why().contains("killed run's JVM (pid 99)"), found.get(2).why());
    }

    @Test
    void aChildThatOutlivesItsKilledParentIsFoundFromTheRecordAndFromProc() throws Exception {
        // sh starts a sleep and waits; kill -9 of sh leaves the sleep running with another parent, as a killed
        // run's JVM leaves its tools.
        Process sh = new ProcessBuilder("sh", "-c", "sleep 60 & wait").start();
        List<ProcessScan.Tracked> tracked = List.of();
        for (int i = 0; i < 100 && tracked.isEmpty(); i++) {
            tracked = sh.toHandle().descendants().map(ProcessScan.Tracked::of).toList();
            Thread.sleep(50);
        }
        assertFalse(tracked.isEmpty(), "sh started no child");
        ProcessScan.Tracked child = tracked.get(0);
        try {
            sh.destroyForcibly();
            assertTrue(sh.waitFor(10, TimeUnit.SECONDS));
            assertTrue(child.alive(), "the child outlived its parent");

            List<ProcessScan.Leftover> found = ProcessScan.suspects(ProcessScan.snapshot(Path.of("/proc")), Map.of(),
                    Set.of(sh.pid()), List.of(child), ProcessHandle.current().pid());
            assertEquals(List.of(child.pid()), found.stream().map(ProcessScan.Leftover::pid).toList());
            assertTrue(found.get(0).command().contains("sleep"), found.get(0).command());
        } finally {
            ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        ProcessHandle.of(child.pid()).ifPresent(h -> h.onExit().join());
        assertFalse(child.alive(), "an ended process is no leftover");
        List<ProcessScan.Tracked> stillAlive = List.of(child).stream().filter(ProcessScan.Tracked::alive).toList();
        assertEquals(List.of(), ProcessScan.suspects(ProcessScan.snapshot(Path.of("/proc")), Map.of(), Set.of(),
                stillAlive, ProcessHandle.current().pid()).stream().filter(l -> l.pid() == child.pid()).toList());
    }

    @Test
    void aRunningProcessWhoseCommandLineNamesTheWorkFolderIsFoundInProc() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "sleep 60; : /soak/work/local-1").start();
        try {
            List<ProcessScan.Leftover> found = List.of();
            for (int i = 0; i < 50 && found.isEmpty(); i++) {
                found = ProcessScan.suspects(ProcessScan.snapshot(Path.of("/proc")), MARKERS, Set.of(), List.of(),
                        ProcessHandle.current().pid()).stream().filter(l -> l.pid() == p.pid()).toList();
                Thread.sleep(20);
            }
            assertEquals(1, found.size());
            assertEquals("names the work folder", found.get(0).why());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }
}
