package org.cohortflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/deploy.md as an administrator follows it, as far as this machine allows: every {@code bash} block in order,
 * as root, with the deployment's folders moved into a scratch root, against a real PostgreSQL and a real Orthanc
 * started on loopback, and the ports of the page replaced by free ones. Where systemd would start the units, each
 * unit's {@code ExecStart} runs with the unit's {@code Environment} as a child process (the shaded jar through
 * {@code cluster-config/bin/cohortflow}); the services must answer {@code /health}, let the printed administrator
 * in, and the intake must forward a CT slice sent by C-STORE to Orthanc. Each stops on SIGTERM with an exit status
 * the unit counts as success. {@code systemd-analyze verify} must accept the unit without a word. What this cannot
 * test (systemd as PID 1, {@code User=}, the journal, the TLS proxy) docs/deploy.md says.
 */
class DeployDocsIT {
    private static final List<String> SERVICES = List.of("governor", "intake", "tasks", "monitor");
    /** The deployment's folders, moved into the scratch root. */
    private static final List<String> FOLDERS = List.of("/etc/cohortflow", "/opt/cohortflow", "/srv/cohortflow",
            "/var/lib/cohortflow", "/var/backups/cohortflow", "/etc/systemd/system");
    /** A guard against hangs on a loaded machine, never a measure of speed. */
    private static final Duration WITHIN = Duration.ofSeconds(300);

    @TempDir
    Path dir;

    @Test
    void theDeploymentPageRunsAsWrittenAndTheUnitsServeFromTheShadedJarOnPostgresqlWithOrthancAsArchive() throws Exception {
        Path repo = DistFiles.repo();
        Path jar = DistFiles.shadedJar();
        assertTrue(jar.getFileName().toString().equals("cohortflow-0.1.0-SNAPSHOT.jar"),
                "docs/deploy.md installs dist/target/cohortflow-0.1.0-SNAPSHOT.jar; the build made " + jar);
        List<String> blocks = blocks(Files.readString(repo.resolve("docs/deploy.md")));
        assertEquals(8, blocks.size(), "docs/deploy.md's bash blocks changed: update this test's phases");
        assertEquals("./mvnw -B -q -pl dist -am package -DskipTests", blocks.get(0).strip(),
                "the first block builds the jar (the build that runs this test did)");

        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("etc/systemd/system"));   // there on any systemd host
        Map<String, String> ports = new LinkedHashMap<>();
        for (String p : List.of("8081", "8082", "8083", "8084", "11112")) {
            ports.put(p, Integer.toString(freePort()));
        }
        OrthancServer.requireInstalled();
        try (PostgresServer pg = PostgresServer.start(); OrthancServer orthanc = OrthancServer.start(dir.resolve("orthanc"))) {
            ports.put("8042", Integer.toString(orthanc.httpPort()));
            Map<String, String> env = Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(pg.port()),
                    "ORTHANC_PW", OrthancServer.PASSWORD);
            Rewrite rewrite = new Rewrite(root, ports, "127.0.0.1:5432", "127.0.0.1:" + pg.port());

            // 1. install, 2. databases, 3. the archive's password
            for (int i = 1; i <= 3; i++) {
                bash("block " + (i + 1), rewrite.apply(blocks.get(i)), env, repo);
            }
            for (String s : SERVICES) {
                Path config = root.resolve("etc/cohortflow/" + s + ".yaml");
                String text = Files.readString(config);
                assertTrue(!text.contains("DB_PASSWORD") && !text.contains("ORTHANC_PASSWORD"), "placeholders left in " + s + ".yaml:\n" + text);
                Files.writeString(config, rewrite.apply(text));
            }

            // 4. systemd: each unit's ExecStart with its Environment
            Path unit = root.resolve("etc/systemd/system/cohortflow@.service");
            List<Started> started = new ArrayList<>();
            try {
                for (String s : SERVICES) {
                    started.add(start(s, Files.readString(unit), rewrite));
                }
                for (Started s : started) {
                    Matcher m = Pattern.compile(s.name() + ": created user 'admin' with password (\\S+)").matcher(s.output());
                    assertTrue(m.find(), s.name() + " printed no administrator:\n" + s.output());
                    HttpTestClient admin = HttpTestClient.anonymous(s.base()).withPassword("admin", m.group(1));
                    assertEquals(200, admin.get("/api/v1/users").status(), s.name() + ": the printed administrator logs in");
                    assertTrue(admin.get("/health").body().contains("\"ok\""), s.name() + " health: " + admin.get("/health"));
                    assertTrue(s.output().contains(s.name() + " listening on"), s.output());
                }
                // the health check, the backups, the restore check and the migrations, as the page gives them
                String health = bash("block 5", rewrite.apply(blocks.get(4)), env, repo);
                assertEquals(4, health.lines().filter(l -> l.startsWith("{")).count(), health);
                for (int i = 5; i < 8; i++) {
                    String out = bash("block " + (i + 1), rewrite.apply(blocks.get(i)), env, repo);
                    if (i == 6) {
                        assertTrue(out.lines().anyMatch(l -> l.equals("admin")), "the restored governor database has its admin: " + out);
                    }
                    if (i == 7) {
                        assertTrue(out.lines().anyMatch(l -> l.endsWith("|t")) && out.lines().noneMatch(l -> l.endsWith("|f")),
                                "the governor's migrations all succeeded: " + out);
                    }
                }
                for (String s : SERVICES) {
                    try (Stream<Path> dumps = Files.list(root.resolve("var/backups/cohortflow"))) {
                        assertTrue(dumps.anyMatch(f -> f.getFileName().toString().matches(s + "-\\d{4}-\\d{2}-\\d{2}\\.dump")
                                && f.toFile().length() > 0), "a dump of " + s);
                    }
                }

                // Orthanc is the archive: a CT slice sent to the intake by C-STORE arrives there, de-identified.
                Path slice = firstSlice();
                String intakeDicomPort = ports.get("11112");
                String stored = run(List.of("storescu", "-aet", "SCANNER1", "-aec", "INTAKE", "127.0.0.1", intakeDicomPort, slice.toString()),
                        Map.of(), repo);
                await(() -> orthanc.instanceCount() >= 1, () -> "the intake forwarded nothing to Orthanc: " + stored + "\n" + started.get(1).output());
                String patients = orthanc.get("/patients?expand");
                assertTrue(patients.contains("STUDY-"), "Orthanc holds the study's pseudonym: " + patients);

                // systemd stops with SIGTERM: the exit must be one the unit counts as success.
                String success = directive(Files.readString(unit), "SuccessExitStatus").orElse("0");
                for (Started s : started) {
                    s.process().destroy();
                    assertTrue(s.process().waitFor(60, TimeUnit.SECONDS), s.name() + " did not stop within 60 s of SIGTERM");
                    int code = s.process().exitValue();
                    assertTrue(code == 0 || List.of(success.split("\\s+")).contains(Integer.toString(code)),
                            s.name() + " exited " + code + " on SIGTERM, not a success for the unit (SuccessExitStatus=" + success + ")");
                }
            } finally {
                for (Started s : started) {
                    s.process().descendants().forEach(ProcessHandle::destroyForcibly);
                    s.process().destroyForcibly();
                }
            }
            verify(unit, rewrite);
        }
    }

    /** {@code systemd-analyze verify} on an instance of the unit (scratch paths, so ExecStart exists) says nothing. */
    private void verify(Path unit, Rewrite rewrite) throws Exception {
        Path instance = Files.createDirectories(dir.resolve("verify")).resolve("cohortflow@governor.service");
        Files.writeString(instance, rewrite.apply(Files.readString(unit)));
        ProcessBuilder pb = new ProcessBuilder("systemd-analyze", "verify", instance.toString()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("systemd-analyze is not installed (Debian package 'systemd'): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("", out.strip(), "systemd-analyze verify has remarks on the unit");
    }

    /** A unit instance started as systemd would: its Environment, WorkingDirectory (made, as StateDirectory does) and ExecStart. */
    private Started start(String name, String unitText, Rewrite rewrite) throws Exception {
        String unit = rewrite.apply(unitText.replace("%i", name));
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : unit.lines().toList()) {
            if (line.startsWith("Environment=")) {
                String assignment = line.substring("Environment=".length());
                assertTrue(!assignment.contains("\"") && !assignment.contains(" "), "one unquoted assignment per Environment line: " + line);
                int eq = assignment.indexOf('=');
                env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
            }
        }
        String exec = directive(unit, "ExecStart").orElseThrow(() -> new AssertionError("no ExecStart in the unit"));
        assertTrue(!exec.contains("\"") && !exec.contains("'") && !exec.contains("$"), "a plain ExecStart: " + exec);
        Path work = Path.of(directive(unit, "WorkingDirectory").orElseThrow());
        Files.createDirectories(work);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(exec.split("\\s+"))).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        Started s = new Started(name, p, log, null);
        Matcher port = Pattern.compile("(?m)^port: (\\d+)").matcher(Files.readString(Path.of(exec.replaceAll(".*--config\\s+", ""))));
        assertTrue(port.find(), "no port in " + name + "'s configuration");
        URI base = URI.create("http://127.0.0.1:" + port.group(1));
        await(() -> {
            if (!p.isAlive()) {
                throw new AssertionError(name + " ended with " + p.exitValue() + ":\n" + s.output());
            }
            try {
                return HttpTestClient.anonymous(base).get("/health").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        }, () -> name + " did not answer /health:\n" + s.output());
        return new Started(name, p, log, base);
    }

    /** A started unit instance. */
    private record Started(String name, Process process, Path log, URI base) {
        String output() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                return "(unreadable log: " + e.getMessage() + ")";
            }
        }
    }

    /** The test's substitutions: the deployment's folders into the scratch root, its ports to free ones, the database's address. */
    private record Rewrite(Path root, Map<String, String> ports, String database, String testDatabase) {
        String apply(String text) {
            String s = text.replace(database, testDatabase);
            for (String f : FOLDERS) {
                s = s.replaceAll("(?<![\\w./-])" + Pattern.quote(f) + "(?![\\w-])", Matcher.quoteReplacement(root + f));
            }
            for (var e : ports.entrySet()) {
                s = s.replaceAll("\\b" + e.getKey() + "\\b", e.getValue());
            }
            return s;
        }
    }

    private static java.util.Optional<String> directive(String unit, String key) {
        return unit.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1).strip()).reduce((a, b) -> b);
    }

    /** The {@code ```bash} blocks of a Markdown text, in order. */
    static List<String> blocks(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```bash\\s*\\n(.*?)^```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private String bash(String name, String commands, Map<String, String> env, Path directory) throws Exception {
        return run(List.of("bash", "-euo", "pipefail", "-c", commands), env, directory);
    }

    /** Runs a command to its end (bounded by a guard against hangs); fails with its output on a non-zero exit. */
    private String run(List<String> command, Map<String, String> env, Path directory) throws Exception {
        Path log = Files.createTempFile(dir, "cmd-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 300 s:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    private static Path firstSlice() throws IOException {
        try (Stream<Path> s = Files.walk(ArchiveTestData.ctPhantomDicom())) {
            return s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("RTSTRUCT") && !p.getFileName().toString().startsWith("RS"))
                    .sorted().findFirst().orElseThrow();
        }
    }

    private static void await(BooleanSupplier condition, Supplier<String> message) throws InterruptedException {
        long end = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(message.get());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
