package org.cohortflow.cli.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.cohortflow.tasks.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code cohortflow tasks} lines of docs/tasks.md ("From the command line") exactly as written there,
 * with bash and the repository's {@code ./cohortflow} launcher, against a task service started by
 * {@code cohortflow serve tasks --config FILE}; then checks through the REST API that the template and one task
 * per row of the table are there.
 */
class TasksCommandDocsIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String PASSWORD = "demo-password";

    @TempDir
    Path dir;

    @Test
    void the_documented_tasks_commands_load_the_template_and_make_one_task_per_row_of_the_table() throws Exception {
        Path jar = REPO.resolve("cli/target/cohortflow-cli-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(jar) && Files.isRegularFile(REPO.resolve("cli/target/runtime-classpath.txt")),
                "the launcher needs the packaged cli (" + jar + "): run this test with 'verify', after 'package'");
        String doc = Files.readString(REPO.resolve("docs/tasks.md"));
        int start = doc.indexOf("<!-- cli:start -->");
        int end = doc.indexOf("<!-- cli:end -->");
        assertTrue(start >= 0 && end > start, "docs/tasks.md has the cli:start / cli:end markers");
        String block = doc.substring(start, end);
        String script = block.substring(block.indexOf("```bash") + "```bash".length(), block.lastIndexOf("```"));
        assertTrue(script.contains("./cohortflow tasks load-template") && script.contains("./cohortflow tasks create"), script);

        try (TestDatabase dbs = TestDatabase.h2()) {
            Path config = config(dbs.fresh());
            try (ServiceProcess tasks = ServiceProcess.serve("tasks", config, dir.resolve("tasks.log"))) {
                ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(REPO.toFile()).redirectErrorStream(true);
                pb.environment().put("TASKS", tasks.baseUri().toString());
                pb.environment().put("COHORTFLOW_PASSWORD", PASSWORD);
                pb.environment().put("DATA", SharedData.root().toString());
                pb.environment().put("COHORTFLOW_NO_BUILD", "1"); // built by this Maven run; never a nested build
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the commands finished: " + out);
                assertEquals(0, p.exitValue(), out);
                assertTrue(out.contains("tasks/examples/sts-ct-qc.yaml: revision 1"), out);
                assertTrue(out.contains("2 task(s) created from 2 row(s) of /tmp/cf-qc/cohort.csv"), out);

                HttpTestClient admin = HttpTestClient.anonymous(tasks.baseUri()).withPassword("admin", PASSWORD);
                JsonNode template = admin.get("/api/v1/templates/sts-ct-qc").json();
                assertEquals(1, template.path("revision").asInt(), template.toString());
                HttpTestClient.Response listed = admin.get("/api/v1/tasks?project=sts&tag=qc-1");
                assertEquals(200, listed.status(), listed.toString());
                List<String> subjects = new ArrayList<>();
                for (JsonNode t : listed.json().path("items")) {
                    String subject = t.at("/content/subject").asText();
                    subjects.add(subject);
                    assertEquals("sts-ct-qc", t.path("template").asText(), t.toString());
                    assertEquals("queued", t.path("status").asText(), t.toString());
                    assertTrue(t.at("/content/images/ct").asText().endsWith(subject + "/CT_image.nii.gz"), t.toString());
                    assertTrue(t.at("/content/images/mask").asText().endsWith(subject + "/CT_mask.nii.gz"), t.toString());
                }
                assertEquals(List.of("STS_001", "STS_002"), subjects.stream().sorted().toList(), listed.body());
            }
        }
    }

    private Path config(DatabaseSettings db) throws Exception {
        Path file = dir.resolve("tasks.yaml");
        Files.writeString(file, "port: " + ServiceProcess.freePort() + "\nhost: 127.0.0.1\ndata: " + dir.resolve("data") + "\n"
                + "database: {url: " + HttpTestClient.quote(db.url()) + ", user: " + HttpTestClient.quote(db.user())
                + ", password: " + HttpTestClient.quote(db.password()) + "}\n"
                + "admin: {name: admin, password: " + PASSWORD + "}\n"
                + "settings:\n  dataRoots: [" + HttpTestClient.quote(SharedData.root().toString()) + "]\n");
        return file;
    }
}
