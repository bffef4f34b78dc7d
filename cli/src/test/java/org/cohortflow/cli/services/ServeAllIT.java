package org.cohortflow.cli.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.DicomWebSettings;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.governance.GovernorFixture;
import org.cohortflow.server.testing.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cohortflow serve all} as a user runs it: the launcher of the checkout, in its own JVM. What it prints is
 * all the test knows: each service's URL and page, and the first administrator's credentials. With them, every
 * service answers its health check and its page, and takes one change of its own (a study, a project, a run, a
 * DICOM object by STOW-RS) from the administrator; the same change without credentials is refused with 401 and
 * from a viewer with 403.
 */
class ServeAllIT {
    private static final Pattern SERVICE = Pattern.compile("(?m)^  (\\w+)\\s+(http://\\S+)\\s+page (http://\\S+)$");
    private static final Pattern LOGIN = Pattern.compile("log in as '([^']+)' with password (\\S+) \\(([^)]*)\\)");
    private static final Duration WITHIN = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    /** What {@code serve all} printed about one service. */
    record Printed(URI base, URI page) {}

    @Test
    void serveAllPrintsEachServiceAndOneGeneratedAdminWhoseCredentialsChangeEveryServiceWhileOthersAreRefused() throws Exception {
        Path data = dir.resolve("data");
        try (ServiceProcess all = serveAll(List.of("--data", data.toString()), "all.log")) {
            String out = all.output();
            Map<String, Printed> services = services(out);
            assertEquals(List.of("governor", "intake", "monitor", "tasks"), List.copyOf(services.keySet()), out);
            Matcher login = LOGIN.matcher(out);
            assertTrue(login.find(), "no credentials printed: " + out);
            String user = login.group(1);
            String password = login.group(2);
            assertEquals("admin", user, out);
            assertEquals("generated; shown once", login.group(3), out);
            assertEquals(1, occurrences(out, password), "the password is printed once: " + out);

            for (var e : services.entrySet()) {
                checkService(e.getKey(), e.getValue(), user, password);
            }
            // A JVM ended by SIGTERM exits 143 (128 + 15) after its shutdown hooks: the units list it as SuccessExitStatus.
            assertEquals(143, all.terminate(), "serve all stops on SIGTERM: " + all.output());
        }

        // The same data again: the administrator made on the first start stays; nothing claims a new password works.
        try (ServiceProcess again = serveAll(List.of("--data", data.toString()), "again.log")) {
            String out = again.output();
            assertFalse(LOGIN.matcher(out).find(), "a new password is offered for an existing administrator: " + out);
            assertTrue(out.contains("governor, intake, monitor, tasks: the data folder has users from an earlier start"), out);
            assertTrue(HttpTestClient.anonymous(services(out).get("governor").base()).withPassword("vera", "vera-password")
                    .get("/api/v1/studies").status() == 200, "the viewer made on the first start is still there");
        }
    }

    @Test
    void serveAllTakesTheAdministratorAndEachServicesSettingsFromItsConfig() throws Exception {
        Path config = dir.resolve("all.yaml");
        Files.writeString(config, """
                name: all
                host: 127.0.0.1
                data: %s
                admin: {name: root, password: all-admin-password}
                settings:
                  intake:
                    studyQuietSeconds: 5
                """.formatted(dir.resolve("cfg-data")));
        try (ServiceProcess all = serveAll(List.of("--config", config.toString()), "config.log")) {
            String out = all.output();
            Matcher login = LOGIN.matcher(out);
            assertTrue(login.find(), out);
            assertEquals("root", login.group(1), out);
            assertEquals("all-admin-password", login.group(2), out);
            assertEquals("from the configuration", login.group(3), out);
            Map<String, Printed> services = services(out);
            assertEquals(4, services.size(), out);
            for (var e : services.entrySet()) {
                HttpTestClient root = HttpTestClient.anonymous(e.getValue().base()).withPassword("root", "all-admin-password");
                assertEquals(200, root.get("/api/v1/users").status(), e.getKey());
                assertTrue(Files.isDirectory(dir.resolve("cfg-data").resolve(e.getKey())), "data of " + e.getKey() + " under the config's folder");
            }
        }
    }

    @Test
    void serveAllRefusesADatabaseServerAndUnknownServiceSettings() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "name: all\ndatabase: {url: \"jdbc:postgresql://127.0.0.1:1/x\"}\n");
        Ran r = run(List.of("serve", "all", "--config", config.toString()));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("'all' runs each service on its own embedded H2 database"), r.output());

        Files.writeString(config, "name: all\nsettings: {governer: {x: 1}}\n");
        r = run(List.of("serve", "all", "--config", config.toString()));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("settings.governer: settings of 'all' are a mapping per service"), r.output());
    }

    /** Health, the page, and one change as the administrator, refused without credentials (401) and to a viewer (403). */
    private void checkService(String name, Printed printed, String user, String password) throws Exception {
        HttpTestClient anonymous = HttpTestClient.anonymous(printed.base());
        HttpTestClient admin = anonymous.withPassword(user, password);
        HttpTestClient viewer = anonymous.withPassword("vera", "vera-password");
        HttpTestClient.Response health = anonymous.get("/health");
        assertEquals(200, health.status(), name + ": " + health);

        HttpTestClient.Response page = HttpTestClient.anonymous(printed.page()).withPassword(user, password).get(printed.page().getPath());
        assertEquals(200, page.status(), name + " page " + printed.page() + ": " + page);
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), name + ": " + page.headers());

        expect(201, admin.post("/api/v1/users", "{\"name\":\"vera\",\"password\":\"vera-password\",\"roles\":[\"viewer\"]}"), name);

        Change change = change(name);
        expect(401, anonymous.send(change.method(), change.path(), change.body(), null), name + " without credentials");
        expect(403, viewer.send(change.method(), change.path(), change.body(), null), name + " as a viewer");
        if (name.equals("intake")) {
            storeOneObject(printed.base(), user, password);
        } else {
            expect(change.status(), admin.send(change.method(), change.path(), change.body(), null), name + " as the administrator");
        }
        GovernorFixture.await(() -> admin.get(change.check()).body().contains(change.expect()), WITHIN,
                () -> name + ": the change is not there: " + admin.get(change.check()));
        HttpTestClient.Response audit = admin.get("/api/v1/audit");
        boolean audited = false;
        for (var entry : audit.json()) {
            // The intake's queue records a received object as its own act, naming who sent it ("stow from admin").
            boolean byUser = entry.path("actor").asText().equals(user) || entry.path("details").asText().contains("from " + user);
            audited |= byUser && !entry.path("target").asText().equals("user/vera");
        }
        assertTrue(audited, name + ": the administrator's change is not in the audit log: " + audit);
    }

    /** One mutating request of a service, what the administrator gets, and where to see that it happened. */
    record Change(String method, String path, String body, int status, String check, String expect) {}

    private static Change change(String service) {
        return switch (service) {
            case "governor" -> new Change("POST", "/api/v1/studies", "{\"name\":\"serve-all\"}", 201, "/api/v1/studies", "serve-all");
            case "tasks" -> new Change("POST", "/api/v1/projects", "{\"name\":\"serve-all\"}", 201, "/api/v1/projects", "serve-all");
            case "monitor" -> new Change("PUT", "/api/v1/runs/serve-all", "{\"name\": \"serve-all\", \"network\": {\"id\": \"n\", "
                    + "\"sources\": [], \"nodes\": [{\"id\": \"a\"}], \"sinks\": []}, \"executor\": null, \"runDir\": null, "
                    + "\"host\": null, \"startedAt\": null}", 201, "/api/v1/runs", "serve-all");
            case "intake" -> new Change("POST", "/dicomweb/studies", "{}", 200, "/api/v1/studies", "CT");
            default -> throw new AssertionError("a service this test does not know: " + service);
        };
    }

    /** STOW-RS of one CT slice of the IBSI phantom, as the administrator, with the archive module's client. */
    private static void storeOneObject(URI intake, String user, String password) throws Exception {
        Path file;
        try (Stream<Path> s = Files.walk(ArchiveTestData.ctPhantomDicom())) {
            file = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("RS")).sorted().findFirst().orElseThrow();
        }
        new DicomWebClient(DicomWebSettings.of(intake.resolve("/dicomweb"), new Auth.Basic(user, password))).store(List.of(file));
    }

    private ServiceProcess serveAll(List<String> options, String log) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(checkout().resolve("cohortflow").toString(), "serve", "all"));
        command.addAll(options);
        return ServiceProcess.launch(command, Map.of("COHORTFLOW_NO_BUILD", "1", "HOME", dir.toString()), checkout(),
                line -> line.startsWith("  stop with Ctrl-C"), dir.resolve(log));
    }

    private record Ran(int code, String output) {}

    private Ran run(List<String> args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(checkout().resolve("cohortflow").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(checkout().toFile()).redirectErrorStream(true);
        pb.environment().put("COHORTFLOW_NO_BUILD", "1");
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), out);
        return new Ran(p.exitValue(), out);
    }

    private static Map<String, Printed> services(String out) {
        Map<String, Printed> found = new LinkedHashMap<>();
        Matcher m = SERVICE.matcher(out);
        while (m.find()) {
            found.put(m.group(1), new Printed(URI.create(m.group(2)), URI.create(m.group(3))));
        }
        return found;
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static void expect(int status, HttpTestClient.Response r, String what) {
        assertEquals(status, r.status(), what + ": " + r);
    }

    /** The checkout this test runs in (the cli module's parent), with the launcher built by this build. */
    static Path checkout() {
        Path root = Path.of("").toAbsolutePath().getParent();
        if (!Files.isExecutable(root.resolve("cohortflow")) || !Files.isRegularFile(root.resolve("cli/target/runtime-classpath.txt"))) {
            throw new AssertionError("no built checkout at " + root + " (the ./cohortflow launcher and cli/target/runtime-classpath.txt "
                    + "are made by the cli module's package phase)");
        }
        return root;
    }
}
