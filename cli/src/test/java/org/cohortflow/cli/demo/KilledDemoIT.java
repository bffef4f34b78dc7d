package org.cohortflow.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart of every service in the middle of the flow (issue 19): the demo's JVM, which runs all four services
 * as {@code serve all} does, is killed with SIGKILL while the radiomics runs, then started again on the same
 * folder with {@code --resume}; the flow completes with nothing lost (every subject ends done, in the cohort
 * table) and nothing done twice (per experiment one successful run of each pipeline callback and one answered
 * task of each kind), as the governor's API reports it.
 */
class KilledDemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void killingEveryServiceMidFlowAndResumingLosesNothingAndDoesNothingTwice(@TempDir Path work) throws Exception {
        Path log = work.resolve("first.log");
        Files.createDirectories(work);
        // A person reviews: the demo serves, and this test is the person, through the task service's API.
        Process first = new ProcessBuilder(DemoRun.command(work, "--subjects", "2")).directory(DemoRun.checkout().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path folder = null;
        AutoReviewer reviewer = null;
        try {
            Path layoutFile = awaitFile(work, "services/" + DemoServices.LAYOUT, first, log);
            folder = layoutFile.getParent().getParent();
            DemoServices.Layout layout = JSON.readValue(layoutFile.toFile(), DemoServices.Layout.class);
            RestClient governor = layout.service("governor").admin();
            reviewer = AutoReviewer.start(RestClient.withToken(layout.service("tasks").url(), layout.reviewerToken()), line -> { });
            // Mid-flow: an experiment's radiomics is running, and not every experiment is through.
            awaitCondition(() -> {
                JsonNode list = governor.get("/api/v1/experiments?study=" + DemoServices.STUDY);
                JsonNode items = list.isArray() ? list : list.path("items");
                boolean running = false;
                for (JsonNode e : items) {
                    running |= e.path("state").asText().equals("radiomics");
                }
                return running;
            }, first, log, "an experiment in 'radiomics'");
        } finally {
            if (reviewer != null) {
                reviewer.close();
            }
            first.destroyForcibly();
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the demo's JVM died");
        }
        assertEquals(137, first.exitValue(), "killed by SIGKILL: " + DemoRun.text(log));

        DemoRun resumed = DemoRun.run(work.resolve("resumed"), "--resume", folder.toString(), "--review", "auto");
        assertEquals(0, resumed.exitCode(), DemoRun.text(log) + "\n--- resumed ---\n" + resumed.output());
        JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
        assertEquals(2, summary.at("/perState/done").asInt(), "nothing lost: " + summary);
        assertEquals(2, summary.path("experiments").size(), "one experiment per subject: " + summary);
        Map<String, String> exported = new DemoRun(0, work, folder, log).exportedStates();
        assertEquals(2, exported.size(), exported.toString());
        for (JsonNode e : summary.path("experiments")) {
            List<String> succeeded = new ArrayList<>();
            for (JsonNode c : e.path("callbacks")) {
                if (c.path("result").asText().equals("success") && Set.of("pipeline", "task").contains(c.path("type").asText())) {
                    succeeded.add(c.path("name").asText());
                }
            }
            assertEquals(succeeded.stream().distinct().count(), succeeded.size(),
                    "each pipeline and task callback of the workflow succeeded once: " + e);
            assertTrue(succeeded.contains(MissionDemo.FEATURES), e.toString());
        }
    }

    private static Path awaitFile(Path work, String relative, Process p, Path log) throws InterruptedException {
        Path[] found = {null};
        awaitCondition(() -> {
            try (Stream<Path> s = Files.list(work)) {
                found[0] = s.map(d -> d.resolve(relative)).filter(Files::isRegularFile).findFirst().orElse(null);
            } catch (java.io.IOException e) {
                return false;
            }
            return found[0] != null;
        }, p, log, relative);
        return found[0];
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, Process p, Path log, String what)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new AssertionError("the demo ended before " + what + ": " + DemoRun.text(log));
            }
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // a service still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + what + " within 10 minutes: " + DemoRun.text(log));
    }
}
