package org.cohortflow.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster-config/slurm/cohortflow.sbatch} on a real one-node SLURM ({@link SlurmCluster}): submitted with
 * {@code sbatch}, it starts a Spark master and worker inside the allocation and runs the radiomics network on them
 * with the result of the local executor; a job requeued while its tools run comes back with {@code --resume}; a
 * job cancelled while its tools run leaves no Spark daemon, executor or tool process behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmIT {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration GONE_TIMEOUT = Duration.ofSeconds(60);

    // Static, so that it is there for @BeforeAll.
    @TempDir
    static Path dir;

    private SlurmCluster slurm;
    private Path config;
    private Path jar;

    @BeforeAll
    void startSlurm() throws Exception {
        config = DistFiles.repo().resolve("cluster-config");
        jar = DistFiles.shadedJar();
        // munged wants every folder above its socket open to all.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        slurm = SlurmCluster.start(dir.resolve("slurm"), 2, 4096);
    }

    @AfterAll
    void stopSlurm() {
        if (slurm != null) {
            slurm.close();
        }
    }

    @Test
    @Order(1)
    void anSbatchJobRunsTheRadiomicsNetworkOnASparkClusterInsideItsAllocationWithTheLocalExecutorsCohortTable() throws Exception {
        Path job = Files.createDirectories(dir.resolve("job1"));
        run(Map.of(), job.resolve("synth.log"), config.resolve("bin/cohortflow").toString(), "synth", "--subjects", "2",
                "--out", job.resolve("cohort").toString(), "--seed", "4");
        Path sheet = DistFiles.sampleSheet(job.resolve("cohort"), job.resolve("samples.csv"), List.of("synth-0001", "synth-0002"));
        Path onSlurm = DistFiles.radiomicsNetwork(job.resolve("slurm-net"), job.resolve("slurm-sinks"));
        Path local = DistFiles.radiomicsNetwork(job.resolve("local-net"), job.resolve("local-sinks"));

        String id = slurm.sbatch(jobEnv(job), List.of("--output=" + job.resolve("job-%j.out"),
                config.resolve("slurm/cohortflow.sbatch").toString(), onSlurm.toString(), "--samples", sheet.toString(),
                "--work", job.resolve("work").toString(), "--progress", "off"));
        SlurmCluster.JobState end = slurm.awaitEnd(id, JOB_TIMEOUT);
        String out = jobOutput(job, id);
        assertEquals(new SlurmCluster.JobState("COMPLETED", "0:0", 0), end, out + slurm.log());
        assertTrue(out.contains("worker-1: registered with spark://127.0.0.1:"), out);
        assertTrue(out.contains("run radiomics-cluster of radiomics-cluster on spark: succeeded"), out);
        Path workerDir = job.resolve("tmp").resolve("cohortflow-slurm-" + id + "-" + hostname()).resolve("worker-1");
        try (Stream<Path> apps = Files.list(workerDir)) {
            assertTrue(apps.anyMatch(a -> a.getFileName().toString().startsWith("app-")),
                    "the jobs ran in an executor launched by the worker of the SLURM job");
        }

        run(Map.of(), job.resolve("local.log"), config.resolve("bin/cohortflow").toString(), "run", local.toString(),
                "--samples", sheet.toString(), "--executor", "local", "--work", job.resolve("local-work").toString(),
                "--progress", "off");
        byte[] table = Files.readAllBytes(job.resolve("slurm-sinks/cohort.csv"));
        assertArrayEquals(Files.readAllBytes(job.resolve("local-sinks/cohort.csv")), table,
                "the cohort table from SLURM equals the local executor's");
        String csv = new String(table, StandardCharsets.UTF_8);
        for (String subject : List.of("synth-0001", "synth-0002")) {
            assertTrue(csv.contains(subject + ",GTV,morph,Volume (mesh),"), "the table has the mesh volume of " + subject);
        }
        assertGone(job, "after the job ended");
    }

    @Test
    @Order(2)
    void aRequeuedJobResumesItsRunAndScancelWhileToolsRunLeavesNoSparkDaemonOrToolProcess() throws Exception {
        Path job = Files.createDirectories(dir.resolve("job2"));
        Path in = Files.createDirectories(job.resolve("in"));
        Files.writeString(in.resolve("a.txt"), "one\n");
        Files.writeString(in.resolve("b.txt"), "one\ntwo\n");
        Path network = napNetwork(job);
        String id = slurm.sbatch(jobEnv(job), List.of("--output=" + job.resolve("job-%j.out"),
                config.resolve("slurm/cohortflow.sbatch").toString(), network.toString(),
                "--tools", DistFiles.repo().resolve("examples/tools").toString(), "--tools", job.resolve("tools").toString(),
                "--source", "texts=" + in + "/*.txt", "--work", job.resolve("work").toString(), "--progress", "off"));
        Path events = job.resolve("work/nap/events.jsonl");

        // First start: the quick tool finishes, the sleeping one runs on the Spark executor of the job's worker.
        awaitRunning(id, job, events, "succeeded");
        assertEquals(0, slurm.state(id).restarts());

        // Requeued (as SLURM does when a node fails): everything of the first start goes, the second resumes.
        slurm.command("scontrol", "requeue", id);
        assertGone(job, "after the requeue");
        awaitState(id, s -> s.restarts() == 1 && s.state().equals("PENDING"));
        // SLURM holds a requeued batch job back for a while; start it now.
        slurm.command("scontrol", "update", "jobid=" + id, "StartTime=now");
        awaitRunning(id, job, events, "cached");
        String out = jobOutput(job, id);
        assertTrue(out.contains("restart 1"), out);

        slurm.command("scancel", id);
        SlurmCluster.JobState end = slurm.awaitEnd(id, JOB_TIMEOUT);
        assertEquals("CANCELLED", end.state(), jobOutput(job, id));
        assertGone(job, "after scancel");
        // The run takes its sink folders when it starts (sinks are written as their producers finish), so the
        // folder of the sleeping tool's sink may be there; no output of that tool is.
        for (String sample : List.of("a", "b")) {
            assertTrue(Files.notExists(job.resolve("sinks/naps/" + sample + ".txt")), "the sleeping tool never finished");
        }
    }

    /**
     * Waits until both samples' quick tool ended in {@code countState} (in the current start of the run) and both
     * sleeping tools run, next to the master, the worker and an executor. The two tools of a sample run in one task
     * (fused by sample); each job is logged as it ends, with the executor's next heartbeat, while its task goes on.
     */
    private void awaitRunning(String id, Path job, Path events, String countState) throws Exception {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (true) {
            SlurmCluster.JobState state = slurm.state(id);
            List<String> processes = processes(job);
            if (state.state().equals("RUNNING") && countEvents(events, countState) == 2
                    && processes.stream().filter(p -> p.contains("nap.sh")).count() >= 2
                    && processes.stream().anyMatch(p -> p.contains("org.apache.spark.deploy.master.Master"))
                    && processes.stream().anyMatch(p -> p.contains("org.apache.spark.deploy.worker.Worker"))
                    && processes.stream().anyMatch(p -> p.contains("CoarseGrainedExecutorBackend"))) {
                return;
            }
            if (System.nanoTime() > deadline || !List.of("RUNNING", "PENDING", "REQUEUED").contains(state.state())) {
                throw new AssertionError("job " + id + " (" + state + ") did not reach its sleeping tools with the quick tool "
                        + countState + "; processes: " + brief(processes) + "\nevents:\n"
                        + (Files.exists(events) ? Files.readString(events) : "none") + jobOutput(job, id) + slurm.log());
            }
            Thread.sleep(500);
        }
    }

    private void awaitState(String id, Predicate<SlurmCluster.JobState> condition) throws Exception {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        SlurmCluster.JobState state;
        while (!condition.test(state = slurm.state(id))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " stayed " + state + slurm.log());
            }
            Thread.sleep(500);
        }
    }

    /** How many {@code count} jobs reached {@code state} since the run's last start. */
    private static long countEvents(Path events, String state) throws IOException {
        if (!Files.exists(events)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(events);
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"type\":\"run-started\"")) {
                start = i;
            }
        }
        return lines.subList(start, lines.size()).stream()
                .filter(l -> l.contains("\"node\":\"count\"") && l.contains("\"state\":\"" + state + "\"")).count();
    }

    /** Waits until no process of this job (any command line naming its folder) is left; fails naming them. */
    private void assertGone(Path job, String when) throws Exception {
        long deadline = System.nanoTime() + GONE_TIMEOUT.toNanos();
        List<String> left;
        while (!(left = processes(job)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("processes left " + when + " (" + GONE_TIMEOUT + " later): " + brief(left));
            }
            Thread.sleep(500);
        }
    }

    /**
     * The command lines of the processes that belong to a job: its driver, master, worker and executors (their
     * class path is under the job's TMPDIR) and its tools (under the job's folder) all name the job's folder.
     */
    private static List<String> processes(Path job) throws IOException {
        String marker = job + "/";
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmd.contains(marker)) {
                        found.add(p.getFileName() + ": " + cmd);
                    }
                } catch (IOException e) {
                    // The process ended while we looked.
                }
            }
        }
        return found;
    }

    private static List<String> brief(List<String> commandLines) {
        return commandLines.stream().map(c -> c.length() > 300 ? c.substring(0, 300) + "..." : c).toList();
    }

    /** The network of the second job: a quick tool and one that sleeps, on each of two text files. */
    private static Path napNetwork(Path job) throws IOException {
        Path nap = job.resolve("nap.sh");
        Files.writeString(nap, "#!/bin/sh\n# Stands for a tool that runs long: sleeps in steps until it is killed.\n"
                + "while :; do sleep 1; done\n");
        nap.toFile().setExecutable(true);
        Path tools = Files.createDirectories(job.resolve("tools"));
        Files.writeString(tools.resolve("nap.yaml"), String.join("\n",
                "id: test/Nap:1.0",
                "description: sleeps until killed",
                "inputs:",
                "  - {id: text, type: TextFile}",
                "outputs:",
                "  - {id: n, type: Int, collect: {stdout: '^(\\d+)'}}",
                "command:",
                "  executable: " + nap,
                "  arguments: [{value: text}]",
                "timeout: 30m",
                ""));
        Path network = job.resolve("nap.yaml");
        Files.writeString(network, String.join("\n",
                "network: nap",
                "sources:",
                "  texts: {type: TextFile}",
                "nodes:",
                "  count: {tool: examples/CountLines:1.0, inputs: {text: texts}}",
                "  nap: {tool: test/Nap:1.0, inputs: {text: texts}}",
                "sinks:",
                "  lines: {from: count.lines, url: \"file://" + job + "/sinks/lines/{sample_id}.txt\"}",
                "  naps: {from: nap.n, url: \"file://" + job + "/sinks/naps/{sample_id}.txt\"}",
                ""));
        return network;
    }

    /** What sbatch passes on to the job: the jar, loopback addresses, and a TMPDIR of the job's own. */
    private Map<String, String> jobEnv(Path job) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("COHORTFLOW_JAR", jar.toString());
        env.put("COHORTFLOW_CLUSTER_CONF", job.resolve("no-such-file").toString());
        env.put("SPARK_MASTER_HOST", "127.0.0.1");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("TMPDIR", Files.createDirectories(job.resolve("tmp")).toString());
        return env;
    }

    private static String jobOutput(Path job, String id) throws IOException {
        Path out = job.resolve("job-" + id + ".out");
        return Files.exists(out) ? "\n--- job output ---\n" + Files.readString(out) : "\n(no job output yet)";
    }

    private static String hostname() throws Exception {
        Process p = new ProcessBuilder("hostname", "-s").redirectErrorStream(true).start();
        String name = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(10, TimeUnit.SECONDS);
        return name;
    }

    /** Runs a command to its end (bounded); fails with its output on a non-zero exit. */
    private static void run(Map<String, String> env, Path log, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish:\n" + Files.readString(log));
            }
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + Files.readString(log));
    }
}
