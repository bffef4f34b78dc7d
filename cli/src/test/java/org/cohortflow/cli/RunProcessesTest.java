package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cohortflow.executors.process.ToolProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code cohortflow run} in a child JVM, stopped while its command-line tools run: after {@code kill -9}
 * or SIGTERM no tool process survives and no job folder is left, and {@code --resume} writes the sinks of an
 * uninterrupted run. Each child JVM gets its own temporary folder, so that other runs on this machine do not
 * meddle.
 */
class RunProcessesTest {
    private static final int SAMPLES = 6;

    /** Doubles a number after sleeping $NAP_SECONDS in a child process; logs "TOOL-PID CHILD-PID". */
    private static final String TOOL = """
            id: test/EnvNap:1.0
            inputs:
              - {id: value, type: Int}
              - {id: log, type: String}
            outputs:
              - {id: doubled, type: Int, collect: {stdout: '(\\d+)'}}
            command:
              executable: sh
              arguments: ["-c", 'sleep "${NAP_SECONDS:-0}" & echo "$$ $!" >> "$2"; wait; echo $(($1 * 2))', "sh",
                          {value: value}, {value: log}]
            """;

    private static final String NETWORK = """
            network: naps
            sources:
              numbers: {type: Int}
            nodes:
              nap: {tool: test/EnvNap:1.0, inputs: {value: numbers}, parameters: {log: "LOG"}}
              total: {tool: basic/Sum:1.0, inputs: {values: {from: nap.doubled, collapse: numbers}}}
            sinks:
              each: {from: nap.doubled, url: "SINKS/each/{sample_id}.txt"}
              total: {from: total.total, url: "SINKS/total.txt"}
            """;

    @TempDir
    Path dir;

    @Test
    void aRunKilledWithSigkillLeavesNoToolProcessNorJobFolderAndItsResumeWritesTheSinksOfAnUninterruptedRun()
            throws Exception {
        Process run = start("killed", 600, false);
        List<Long> pids = whenTwoToolsRun(run, "killed");

        run.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block
        assertTrue(run.waitFor(10, TimeUnit.SECONDS));

        for (long pid : pids) {
            assertFalse(stillRunning(pid), "tool process " + pid + " outlived the killed run");
        }
        assertEquals(List.of(), jobFoldersAfterAMoment(), "job folders the killed run left");

        assertEquals(0, finish(start("killed", 0, true)), log("killed"));
        assertEquals(0, finish(start("straight", 0, false)), log("straight"));
        Map<String, String> sinks = files(dir.resolve("killed/sinks"));
        assertEquals(SAMPLES + 1, sinks.size(), sinks.toString());
        assertEquals("42.0\n", sinks.get("total.txt"));
        assertEquals(files(dir.resolve("straight/sinks")), sinks);
        assertEquals(List.of(), jobFoldersAfterAMoment());
    }

    @Test
    void aRunStoppedWithSigtermKillsItsToolsAndDeletesItsJobFolders() throws Exception {
        Process run = start("stopped", 600, false);
        List<Long> pids = whenTwoToolsRun(run, "stopped");

        run.destroy(); // SIGTERM: the shutdown hook runs
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));

        for (long pid : pids) {
            assertFalse(stillRunning(pid), "tool process " + pid + " outlived the stopped run");
        }
        assertEquals(List.of(), jobFoldersAfterAMoment());
    }

    @Test
    void whatARunKilledTogetherWithItsWatchdogLeftBehindIsEndedByItsResume() throws Exception {
        Process run = start("orphans", 600, false);
        List<Long> pids = whenTwoToolsRun(run, "orphans");
        List<ProcessHandle> watchdogs = run.toHandle().children()
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains("cohortflow-watchdog")).orElse(false))
                .toList();
        assertEquals(1, watchdogs.size(), "the run's watchdog");

        watchdogs.get(0).destroyForcibly(); // as when the whole process group is killed
        assertTrue(watchdogs.get(0).onExit().get(10, TimeUnit.SECONDS) != null);
        run.destroyForcibly();
        assertTrue(run.waitFor(10, TimeUnit.SECONDS));
        Thread.sleep(500);
        for (long pid : pids) {
            assertTrue(ToolProcesses.isRunning(pid), "without the watchdog the tools run on: " + pid);
        }
        assertEquals(2, jobFolders().size());

        assertEquals(0, finish(start("orphans", 0, true)), log("orphans"));

        for (long pid : pids) {
            assertFalse(stillRunning(pid), "the resumed run did not end tool process " + pid + " of the killed one");
        }
        assertEquals(List.of(), jobFolders());
        assertEquals("42.0\n", files(dir.resolve("orphans/sinks")).get("total.txt"));
    }

    /** Starts {@code cohortflow run} in a child JVM, sinks and work under {@code dir/name}. */
    private Process start(String name, int napSeconds, boolean resume) throws IOException {
        Path base = Files.createDirectories(dir.resolve(name));
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Files.writeString(tools.resolve("env-nap.yaml"), TOOL);
        Path network = Files.writeString(base.resolve("naps.yaml"), NETWORK
                .replace("LOG", base.resolve("pids.log").toString())
                .replace("SINKS", base.resolve("sinks").toUri().toString().replaceAll("/$", "")));
        StringBuilder numbers = new StringBuilder();
        for (int i = 1; i <= SAMPLES; i++) {
            numbers.append(i > 1 ? "," : "").append("s").append(i).append(':').append(i);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")), "-cp", System.getProperty("java.class.path"),
                Cohortflow.class.getName(), "run", network.toString(), "--tools", tools.toString(),
                "--source", "numbers=" + numbers, "--work", base.resolve("work").toString(), "--parallelism", "2",
                "--progress", "off"));
        if (resume) {
            command.add("--resume");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("run.log").toFile()));
        pb.environment().put("NAP_SECONDS", Integer.toString(napSeconds));
        return pb.start();
    }

    /** Waits until two tools run (parallelism 2); returns the PIDs of the tools and of their children. */
    private List<Long> whenTwoToolsRun(Process run, String name) throws Exception {
        Path log = dir.resolve(name).resolve("pids.log");
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && run.isAlive()
                && (!Files.exists(log) || Files.readAllLines(log).size() < 2 || jobFolders().size() < 2)) {
            Thread.sleep(50);
        }
        assertTrue(run.isAlive(), "the run ended early: " + log(name));
        List<Long> pids = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            for (String pid : line.trim().split(" ")) {
                pids.add(Long.parseLong(pid));
            }
        }
        assertEquals(4, pids.size(), pids.toString());
        for (long pid : pids) {
            assertTrue(ToolProcesses.isRunning(pid), "tool process " + pid + " should run now");
        }
        return pids;
    }

    private int finish(Process p) throws InterruptedException {
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run did not finish");
        return p.exitValue();
    }

    private static boolean stillRunning(long pid) throws InterruptedException {
        for (int i = 0; i < 100 && ToolProcesses.isRunning(pid); i++) {
            Thread.sleep(50);
        }
        return ToolProcesses.isRunning(pid);
    }

    private List<Path> jobFoldersAfterAMoment() throws Exception {
        for (int i = 0; i < 100 && !jobFolders().isEmpty(); i++) {
            Thread.sleep(50);
        }
        return jobFolders();
    }

    private List<Path> jobFolders() throws IOException {
        Path tmp = dir.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("cohortflow-job-")).toList();
        }
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name).resolve("run.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Sink outputs by relative path, without provenance (which holds times and hosts). */
    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".prov.json")).toList()) {
                out.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return out;
    }
}
