package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.spark.SparkSettings;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on loopback: master and worker are separate JVMs started from the
 * module's runtime class path, the worker launches its own executor JVM, and the test's JVM is the
 * driver. Runs the count-lines example (a command-line tool and a Java tool).
 */
class SparkStandaloneClusterIT {
    /** The module opens Spark needs on Java 17: those this JVM got from the build (spark.jvm.opens). */
    private static final String OPENS = String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean()
            .getInputArguments().stream()
            .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-XX:+IgnoreUnrecognized"))
            .toList());

    private final List<Process> daemons = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopCluster() throws InterruptedException {
        for (Process p : daemons) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : daemons) {
            p.waitFor();
        }
    }

    @Test
    void aStandaloneMasterAndWorkerRunACommandLineToolAndAJavaToolWithProvenance() throws Exception {
        Path module = Fixtures.repo().resolve("executors-spark");
        List<String> cp = new ArrayList<>(Arrays.asList(Files.readString(module.resolve("target/runtime-classpath.txt"))
                .trim().split(File.pathSeparator)));
        cp.add(0, module.resolve("target/classes").toString());
        // The worker puts SPARK_HOME/jars/* on its executors' class path: link the jars there.
        Path sparkHome = dir.resolve("spark-home");
        Files.createDirectories(sparkHome.resolve("jars"));
        List<String> folders = new ArrayList<>();
        for (String e : cp) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                folders.add(p.toString());
            } else if (Files.isRegularFile(p)) {
                Files.createSymbolicLink(sparkHome.resolve("jars").resolve(p.getFileName()), p);
            }
        }
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        daemons.add(start("master", cp, sparkHome, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort())));
        waitForPort(port);
        daemons.add(start("worker", cp, sparkHome, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                "--cores", "2", "--memory", "1g", "--webui-port", Integer.toString(freePort()),
                "--work-dir", dir.resolve("worker").toString(), master));
        waitForLog(dir.resolve("master.log"), "Registering worker", 60_000);

        SourceData.Builder data = SourceData.builder();
        for (int i = 0; i < 4; i++) {
            data.add("texts", "doc" + i, Fixtures.write(dir.resolve("in/doc" + i + ".txt"), "x\n".repeat(i + 1)).toString());
        }
        NetworkYaml.Loaded n = Fixtures.example("count-lines.yaml", dir.resolve("sinks"));
        Map<String, String> conf = new HashMap<>();
        conf.put("spark.driver.host", "127.0.0.1");
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.executor.memory", "512m");
        conf.put("spark.cores.max", "2");
        conf.put("spark.executor.extraClassPath", String.join(File.pathSeparator, folders));
        conf.put("spark.executor.extraJavaOptions", OPENS);
        RunReport r;
        try (SparkExecutor spark = SparkExecutor.create(new SparkSettings(master, 1, conf))) {
            assertEquals(master, spark.session().sparkContext().master());
            r = spark.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data.build(), dir.resolve("work").toUri()));
            // The executor JVM shares its 2 cores between tasks: a 2-core tool runs alone there.
            assertEquals(1, CoresTest.mostAtOnce(spark, dir.resolve("cores")));
        }

        assertEquals(0, r.exitCode(), r.summary());
        assertEquals(Map.of("doc0.txt", "1\n", "doc1.txt", "2\n", "doc2.txt", "3\n", "doc3.txt", "4\n"),
                Fixtures.outputs(dir.resolve("sinks/lines")));
        assertEquals(Map.of("total.txt", "10.0\n"), Fixtures.outputs(dir.resolve("sinks/total")));
        JsonNode prov = new ObjectMapper().readTree(dir.resolve("sinks/total/total.txt.prov.json").toFile());
        assertEquals(5, prov.get("activity").size());
        assertTrue(prov.at("/activity/run:job~1count~1doc2/cf:command").asText().startsWith("wc -l "));
        // Each job that ran on the executor JVM is logged running at its record's start (sent back from there).
        Map<String, Long> running = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("work/count-lines/events.jsonl"))) {
            JsonNode e = new ObjectMapper().readTree(line);
            if ("running".equals(e.path("state").asText())) {
                running.put(e.get("node").asText() + "/" + e.get("sample").asText(), e.get("time").asLong());
            }
        }
        assertEquals(5, running.size(), running.toString());
        for (int i = 0; i < 4; i++) {
            JsonNode record = new ObjectMapper().readTree(dir.resolve("work/count-lines/count/doc" + i + "/job.json").toFile());
            assertEquals(record.get("start").asLong(), running.get("count/doc" + i), record.toString());
        }
        assertTrue(Files.isDirectory(dir.resolve("worker")), "the worker launched an executor");
        try (var apps = Files.list(dir.resolve("worker"))) {
            assertTrue(apps.anyMatch(a -> a.getFileName().toString().startsWith("app-")), "an executor ran on the worker");
        }
    }

    private Process start(String name, List<String> cp, Path sparkHome, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        cmd.addAll(Arrays.asList(OPENS.split(" ")));
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), main));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the Spark master did not open port " + port);
    }

    private static void waitForLog(Path log, String text, long millis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no '" + text + "' in " + log + ":\n" + Files.readString(log));
    }
}
