package org.cohortflow.monitor.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.executors.ToolSet;
import org.cohortflow.executors.monitor.MonitorSettings;
import org.cohortflow.executors.monitor.RunImport;
import org.cohortflow.monitor.MonitorFixture;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A finished run loaded from its folder equals its report, and loading it again changes nothing. */
class ImportTest {
    @TempDir
    Path dir;

    @Test
    void a_finished_run_is_imported_from_its_folder_once_however_often_it_is_imported() throws Exception {
        CountingRun.prepare(dir, 5);
        assertEquals(1, CountingRun.run(dir, "done", "local", Optional.empty()).result().exitCode());
        Path runDir = dir.resolve("work/done");
        try (TestDatabase dbs = TestDatabase.h2(); MonitorFixture m = MonitorFixture.start(dbs.fresh(), dir.resolve("monitor"))) {
            MonitorSettings s = MonitorSettings.of(m.baseUri(), Optional.of(m.reporterToken()));
            ToolSet tools = ToolSet.load(java.util.List.of(CountingRun.TOOLS));
            RunImport.Result first = RunImport.importRun(s, runDir.toUri(), Map.of(),
                    Optional.of(NetworkYaml.read(dir.resolve("counting.yaml")).network()), tools.registry());
            assertNull(first.problem());
            RunImport.Result again = RunImport.importRun(s, runDir.toUri(), Map.of(), Optional.empty(), tools.registry());
            assertEquals(first.key(), again.key());

            long lines = Files.readAllLines(runDir.resolve("events.jsonl")).stream().filter(l -> !l.isBlank()).count();
            JsonNode runs = m.viewer().get("/api/v1/runs").json();
            assertEquals(1, runs.size());
            assertEquals(lines, runs.get(0).get("events").asLong(), "imported twice, counted once");
            assertEquals("failed", runs.get(0).get("status").asText());
            JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
            JsonNode f = report.get("failures").get(0);
            JsonNode job = m.viewer().get("/api/v1/runs/" + first.key() + "/job?node=count&sample=s03").json();
            assertEquals(f.get("stderrTail").asText(), job.get("stderrTail").asText());
            assertEquals(4, m.viewer().get("/api/v1/runs/" + first.key()).json().get("nodes").get(0).get("done").asInt());
            JsonNode network = m.viewer().get("/api/v1/runs/" + first.key()).json().get("network");
            assertEquals("texts", network.get("nodes").get(1).get("inputs").get(0).get("links").get(0).get("collapse").asText(),
                    "the network given to the import is drawn with its links: " + network);
        }
    }
}
