package org.cohortflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.server.testing.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study governor submits its pipeline runs to a Spark standalone master, as in production: master and worker
 * started by {@code cluster-config/sbin} from the shaded jar on loopback, the governor by
 * {@code cluster-config/bin/cohortflow serve governor} from the same jar with {@code settings.pipelines.executor: spark}
 * and {@code master: spark://127.0.0.1:PORT}. An experiment enters a state whose pipeline callback runs the CT
 * radiomics network (examples/radiomics/nifti-ct.yaml) on the STS CT and its mask; the jobs run in an executor the
 * worker launched, the callback succeeds with the features, and the experiment moves on to {@code done}.
 */
class GovernorOnSparkClusterIT {
    /** A guard against hangs on a loaded machine, never a measure of speed. */
    private static final Duration WITHIN = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    @Test
    void theGovernorsPipelineCallbackRunsARadiomicsNetworkOnAStandaloneClusterAndTheExperimentMovesOn() throws Exception {
        Path repo = DistFiles.repo();
        Path config = repo.resolve("cluster-config");
        Path state = dir.resolve("cluster");
        int masterPort = freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        Map<String, String> env = new HashMap<>();
        env.put("COHORTFLOW_JAR", DistFiles.shadedJar().toString());
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

        int port = freePort();
        Path governorConfig = dir.resolve("governor.yaml");
        Files.writeString(governorConfig, """
                name: governor
                host: 127.0.0.1
                port: %d
                data: %s
                admin: {name: admin, password: cluster-admin-password}
                settings:
                  pipelines:
                    root: %s
                    executor: spark
                    master: "%s"
                    spark: {spark.driver.host: 127.0.0.1, spark.driver.bindAddress: 127.0.0.1}
                """.formatted(port, dir.resolve("governor-data"), repo, master));
        Process governor = null;
        try {
            run(env, "start-master", config.resolve("sbin/start-master.sh").toString());
            run(env, "start-worker", config.resolve("sbin/start-worker.sh").toString(), master);

            // The governor's JVM is the Spark driver: executors of 768m fit the worker's 1g.
            Map<String, String> governorEnv = new HashMap<>(env);
            governorEnv.put("COHORTFLOW_JAVA_OPTS", "-Dspark.executor.memory=768m");
            ProcessBuilder pb = new ProcessBuilder(config.resolve("bin/cohortflow").toString(), "serve", "governor",
                    "--config", governorConfig.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("governor.log").toFile());
            pb.environment().putAll(governorEnv);
            governor = pb.start();
            Process g = governor;
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpTestClient admin = HttpTestClient.anonymous(base).withPassword("admin", "cluster-admin-password");
            await(() -> {
                if (!g.isAlive()) {
                    throw new AssertionError("the governor ended: " + log("governor.log"));
                }
                try {
                    return admin.get("/health").status() == 200;
                } catch (RuntimeException e) {
                    return false;
                }
            }, () -> "the governor did not answer: " + log("governor.log"));

            HttpTestClient.Response w = admin.post("/api/v1/workflows", "{\"yaml\":" + HttpTestClient.quote(WORKFLOW) + "}");
            assertEquals(201, w.status(), w.toString());
            assertEquals(201, admin.post("/api/v1/studies", "{\"name\":\"sts\",\"workflow\":\"on-cluster\"}").status());
            Path shared = ArchiveTestData.root();
            String scans = "[{\"label\":\"ct\",\"modality\":\"CT\",\"kind\":\"file\",\"url\":"
                    + HttpTestClient.quote(shared.resolve("sts-cohort/nifti/STS_001/CT_image.nii.gz").toString())
                    + "},{\"label\":\"mask\",\"modality\":\"SEG\",\"kind\":\"file\",\"url\":"
                    + HttpTestClient.quote(shared.resolve("sts-cohort/nifti/STS_001/CT_mask.nii.gz").toString()) + "}]";
            HttpTestClient.Response made = admin.post("/api/v1/experiments",
                    "{\"study\":\"sts\",\"subject\":\"STS_001\",\"label\":\"baseline\",\"scans\":" + scans + "}");
            assertEquals(201, made.status(), made.toString());
            long experiment = made.json().at("/experiment/id").asLong();

            await(() -> {
                String s = admin.get("/api/v1/experiments/" + experiment).json().path("state").asText();
                if (s.equals("failed")) {
                    throw new AssertionError("the pipeline callback failed: " + admin.get("/api/v1/experiments/" + experiment + "/callbacks").body()
                            + "\n" + log("governor.log"));
                }
                return s.equals("done");
            }, () -> "the experiment did not reach 'done': " + admin.get("/api/v1/experiments/" + experiment + "/callbacks").body()
                    + "\n" + log("governor.log"));

            JsonNode callbacks = admin.get("/api/v1/experiments/" + experiment + "/callbacks").json();
            JsonNode features = (callbacks.isArray() ? callbacks : callbacks.path("items")).get(0);
            assertEquals("success", features.path("result").asText(), callbacks.toString());
            assertTrue(features.path("output").asText().contains("\"executor\":\"spark\""), features.toString());
            JsonNode variables = admin.get("/api/v1/experiments/" + experiment + "/variables").json();
            // The variable names the subject's features, written by the run into the callback's run folder.
            Path subject = Path.of(URI.create(variables.path("features").asText()));
            String json = Files.readString(subject);
            assertTrue(json.contains("Volume (mesh)"), "the subject's features: " + json);
            try (Stream<Path> apps = Files.list(state.resolve("worker-1"))) {
                assertTrue(apps.anyMatch(a -> a.getFileName().toString().startsWith("app-")),
                        "the jobs ran in an executor the worker launched");
            }
            String masterLog = Files.readString(state.resolve("logs/master.log"));
            assertTrue(masterLog.contains("Registering app"), "the governor registered with the master: " + masterLog);
        } finally {
            if (governor != null) {
                governor.descendants().forEach(ProcessHandle::destroyForcibly);
                governor.destroy();
                if (!governor.waitFor(60, TimeUnit.SECONDS)) {
                    governor.destroyForcibly();
                }
            }
            for (String script : List.of("stop-worker.sh", "stop-master.sh")) {
                try {
                    run(env, script, config.resolve("sbin").resolve(script).toString());
                } catch (Exception | AssertionError e) {
                    System.err.println(script + ": " + e.getMessage());
                }
            }
        }
    }

    private static final String WORKFLOW = """
            workflow: on-cluster
            initial: radiomics
            variables:
              features: string
            states:
              radiomics:
                callbacks:
                  - name: features
                    type: pipeline
                    args:
                      network: examples/radiomics/nifti-ct.yaml
                      sources: {image: "scan:ct", mask: "scan:mask", roi: GTV}
                      outputs: {features: subjects}
                    runTimeout: 1h
                transitions:
                  - to: done
                    condition: "callbacks.features.result == 'success'"
                  - to: failed
              done: {final: true}
              failed: {final: true}
            """;

    private String log(String name) {
        try {
            Path f = dir.resolve(name);
            if (!Files.exists(f)) {
                return "(no " + name + ")";
            }
            List<String> lines = Files.readAllLines(f);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(unreadable " + name + ")";
        }
    }

    private String run(Map<String, String> env, String name, String... command) throws Exception {
        Path log = dir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of("bash"));
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish within 180 s:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), name + " failed:\n" + out);
        return out;
    }

    private static void await(BooleanSupplier condition, Supplier<String> message) throws InterruptedException {
        long end = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(message.get());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
