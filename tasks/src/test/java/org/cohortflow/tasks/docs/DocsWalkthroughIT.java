package org.cohortflow.tasks.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cohortflow.server.testing.TestDatabase;
import org.cohortflow.tasks.testing.CallbackReceiver;
import org.cohortflow.tasks.testing.SharedData;
import org.cohortflow.tasks.testing.TasksFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the walkthrough of docs/tasks.md, exactly as written there, with bash and curl against a fresh task
 * service, so the documented commands keep working.
 */
class DocsWalkthroughIT {
    @TempDir
    Path data;

    @Test
    void theDocumentedWalkthroughRunsAndItsCallbackArrives() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        String doc = Files.readString(repo.resolve("docs/tasks.md"));
        int start = doc.indexOf("<!-- walkthrough:start -->");
        int end = doc.indexOf("<!-- walkthrough:end -->");
        assertTrue(start >= 0 && end > start, "docs/tasks.md has the walkthrough markers");
        String block = doc.substring(start, end);
        String script = block.substring(block.indexOf("```bash") + "```bash".length(), block.lastIndexOf("```"));
        try (TestDatabase dbs = TestDatabase.h2();
             TasksFixture f = TasksFixture.start(dbs.fresh(), data, Map.of());
             CallbackReceiver receiver = new CallbackReceiver()) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(repo.toFile()).redirectErrorStream(true);
            pb.environment().put("TASKS", f.service().baseUri().toString());
            pb.environment().put("ADMIN", "root:" + TasksFixture.ADMIN_PASSWORD);
            pb.environment().put("DATA", SharedData.root().toString());
            pb.environment().put("CALLBACK", receiver.url("/qc-done"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the walkthrough finished");
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("\"delivered\":true"), out);
            assertTrue(out.contains("task.submit"), out);
            CallbackReceiver.Delivery d = receiver.await(1, Duration.ofSeconds(10)).get(0);
            assertEquals("a-long-random-secret", d.secret());
            assertTrue(d.body().contains("\"quality\":\"acceptable\""), d.body());
            assertEquals(1, receiver.deliveries().size());
        }
    }
}
