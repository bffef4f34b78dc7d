package org.cohortflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts in {@code cluster-config/} do what their README says, with the shaded jar: a master and a
 * worker started by the scripts on loopback, a radiomics network (tools and types from three modules,
 * found through the jar's merged {@code META-INF/services}) run by {@code cluster-config/bin/cohortflow}
 * with {@code --master spark://127.0.0.1:PORT} so its jobs run in an executor the worker launched, then
 * both daemons stopped by the scripts.
 */
class ClusterScriptsIT {
    private static final long SCRIPT_TIMEOUT_S = 120;

    @TempDir
    Path dir;

    @Test
    void startScriptsBringUpAClusterThatRunsARadiomicsNetworkAndStopScriptsTakeItDown() throws Exception {
        Path config = DistFiles.repo().resolve("cluster-config");
        Path jar = DistFiles.shadedJar();
        Path state = dir.resolve("cluster");
        int masterPort = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("COHORTFLOW_JAR", jar.toString());
        env.put("COHORTFLOW_CLUSTER_DIR", state.toString());
        env.put("COHORTFLOW_CLUSTER_CONF", dir.resolve("no-such-file").toString());
        env.put("SPARK_MASTER_HOST", "127.0.0.1");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_MASTER_PORT", Integer.toString(masterPort));
        env.put("SPARK_MASTER_WEBUI_PORT", Integer.toString(freePort()));
        env.put("SPARK_WORKER_WEBUI_PORT", Integer.toString(freePort()));
        env.put("SPARK_WORKER_CORES", "2");
        env.put("SPARK_WORKER_MEMORY", "1g");
        env.put("COHORTFLOW_START_TIMEOUT", "90");
        String master = "spark://127.0.0.1:" + masterPort;
        List<Long> daemons = new ArrayList<>();
        try {
            run(env, "start-master", config.resolve("sbin/start-master.sh").toString());
            daemons.add(pid(state, "master"));
            run(env, "start-worker", config.resolve("sbin/start-worker.sh").toString(), master);
            daemons.add(pid(state, "worker-1"));

            String cohortflow = config.resolve("bin/cohortflow").toString();
            run(env, "synth", cohortflow, "synth", "--subjects", "2", "--out", dir.resolve("cohort").toString(), "--seed", "4");
            Path network = DistFiles.radiomicsNetwork(dir, dir.resolve("sinks"));
            Path sheet = DistFiles.sampleSheet(dir.resolve("cohort"), dir.resolve("samples.csv"), List.of("synth-0001", "synth-0002"));
            String out = run(env, "run", cohortflow, "run", network.toString(), "--samples", sheet.toString(),
                    "--executor", "spark", "--master", master, "--work", dir.resolve("work").toString(),
                    "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                    "--conf", "spark.executor.memory=768m", "--progress", "off");
            assertTrue(out.contains("succeeded"), out);

            List<String> table = Files.readAllLines(dir.resolve("sinks/cohort.csv"));
            for (String subject : List.of("synth-0001", "synth-0002")) {
                assertEquals(1, table.stream().filter(l -> l.startsWith(subject + ",GTV,morph,Volume (mesh),")).count(),
                        "the cohort table has the mesh volume of " + subject);
            }
            try (Stream<Path> apps = Files.list(state.resolve("worker-1"))) {
                assertTrue(apps.anyMatch(a -> a.getFileName().toString().startsWith("app-")),
                        "the jobs ran in an executor launched by the worker");
            }
        } finally {
            stop(env, config);
            // Should the stop scripts have failed, take nothing of this test's cluster along.
            for (long pid : daemons) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
            }
        }
        for (long pid : daemons) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " stopped");
        }
        assertFalse(Files.exists(state.resolve("run/master.pid")));
        assertFalse(Files.exists(state.resolve("run/worker-1.pid")));
    }

    private void stop(Map<String, String> env, Path config) {
        for (String script : List.of("stop-worker.sh", "stop-master.sh")) {
            try {
                run(env, script, config.resolve("sbin").resolve(script).toString());
            } catch (Exception | AssertionError e) {
                System.err.println(script + ": " + e.getMessage());
            }
        }
    }

    /** Runs a command to its end (bounded); returns its output; fails with it on a non-zero exit. */
    private String run(Map<String, String> env, String name, String... command) throws Exception {
        Path log = dir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(command));
        if (cmd.get(0).endsWith(".sh")) {
            cmd.add(0, "bash");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(SCRIPT_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not finish within " + SCRIPT_TIMEOUT_S + " s:\n" + Files.readString(log));
            }
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), name + " failed:\n" + out + daemonLogs(env));
        return out;
    }

    private static String daemonLogs(Map<String, String> env) throws IOException {
        Path logs = Path.of(env.get("COHORTFLOW_CLUSTER_DIR"), "logs");
        StringBuilder sb = new StringBuilder();
        if (Files.isDirectory(logs)) {
            try (Stream<Path> files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    List<String> lines = Files.readAllLines(f);
                    sb.append("\n--- ").append(f.getFileName()).append(" (tail) ---\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
                }
            }
        }
        return sb.toString();
    }

    private static long pid(Path state, String daemon) throws IOException {
        return Long.parseLong(Files.readString(state.resolve("run").resolve(daemon + ".pid")).trim());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
