package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.storage.SinkWrite;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceAndEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private RunReport runCountLines(RunSpec.Progress progress, PrintStream console) {
        SourceData.Builder data = SourceData.builder();
        for (int i = 0; i < 3; i++) {
            data.add("texts", "doc" + i, Fixtures.write(dir.resolve("in/doc" + i + ".txt"), "x\n".repeat(i + 1)).toString());
        }
        NetworkYaml.Loaded n = Fixtures.example("count-lines.yaml", dir.resolve("sinks"));
        try (LocalExecutor local = new LocalExecutor(2)) {
            return local.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data.build(), dir.resolve("work").toUri())
                    .withProgress(progress, console));
        }
    }

    @Test
    void everySinkOutputHasAProvJsonDocumentWithJobsToolsCommandsAndHashedInputs() throws IOException {
        assertEquals(0, runCountLines(RunSpec.Progress.OFF, System.err).exitCode());

        JsonNode prov = JSON.readTree(dir.resolve("sinks/total/total.txt" + SinkWrite.PROVENANCE_SUFFIX).toFile());
        assertEquals("https://cohortflow.org/ns/prov#", prov.at("/prefix/cf").asText());
        JsonNode out = prov.at("/entity/run:sink~1total~1all~1total.txt");
        assertEquals("cf:SinkOutput", out.at("/prov:type").asText());
        assertTrue(out.at("/prov:location").asText().endsWith("sinks/total/total.txt"));

        JsonNode activities = prov.get("activity");
        assertEquals(4, activities.size(), "three counts and the total");
        JsonNode count = activities.get("run:job/count/doc1");
        assertEquals("examples/CountLines", count.at("/cf:toolId").asText());
        assertEquals("1.0", count.at("/cf:toolVersion").asText());
        assertTrue(count.at("/cf:command").asText().startsWith("wc -l "), count.toString());
        assertTrue(count.has("prov:startTime") && count.has("prov:endTime") && count.has("cf:host"));

        JsonNode source = prov.at("/entity/run:source~1texts_doc1_~10");
        assertEquals(FileType.contentHash(dir.resolve("in/doc1.txt")), source.at("/cf:sha256").asText());
        assertTrue(source.at("/prov:location").asText().endsWith("in/doc1.txt"));

        List<String> used = new ArrayList<>();
        prov.get("used").forEach(u -> used.add(u.at("/prov:activity").asText() + " <- " + u.at("/prov:entity").asText()));
        assertTrue(used.contains("run:job/count/doc1 <- run:source/texts_doc1_/0"), used.toString());
        assertTrue(used.contains("run:job/total/all <- run:value/count/doc1/lines/0"), used.toString());
        assertTrue(prov.get("agent").has("cf:tool/examples/CountLines_1.0"), prov.get("agent").toString());
        assertTrue(prov.get("wasGeneratedBy").size() >= 4);
    }

    @Test
    void runEventsAreJsonLinesInTheRunFolderAndDriveTheProgressBar() throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunReport r = runCountLines(RunSpec.Progress.ON, new PrintStream(console, true, StandardCharsets.UTF_8));
        assertEquals(0, r.exitCode());

        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("work/count-lines/events.jsonl"))) {
            events.add(JSON.readTree(line));
        }
        assertEquals("run-started", events.get(0).get("type").asText());
        assertEquals("run-finished", events.get(events.size() - 1).get("type").asText());
        assertEquals(4, events.stream().filter(e -> e.get("type").asText().equals("job")
                && e.get("state").asText().equals("succeeded")).count());
        assertEquals(4, events.stream().filter(e -> e.get("type").asText().equals("sink")).count());
        JsonNode report = JSON.readTree(dir.resolve("work/count-lines/report.json").toFile());
        assertEquals(3, report.at("/nodes/0/succeeded").asInt());
    }

    @Test
    void theProgressLineShowsEachNodeWithDoneFailedAndRunningJobs() {
        var p = new org.cohortflow.executors.events.ConsoleProgress(new PrintStream(new ByteArrayOutputStream()), false);
        p.accept(new org.cohortflow.executors.events.RunEvent(0, "planned", "count", null, "4", null));
        p.accept(org.cohortflow.executors.events.RunEvent.job("count", "a", "running", null));
        p.accept(org.cohortflow.executors.events.RunEvent.job("count", "b", "running", null));
        p.accept(org.cohortflow.executors.events.RunEvent.job("count", "a", "succeeded", null));
        p.accept(org.cohortflow.executors.events.RunEvent.job("count", "c", "running", null));
        p.accept(org.cohortflow.executors.events.RunEvent.job("count", "c", "failed", "x"));
        p.close();
        String line = p.line();
        assertTrue(line.startsWith("[############------------]  50% ETA "), line);
        assertTrue(line.endsWith("| count 1/4 1 failed 1 running"), line);
    }
}
