package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohortflow run --timeout}: the run's default time limit for jobs of tools that set none. */
class RunTimeoutOptionTest {

    @Test
    void aToolWithoutTimeoutOfItsOwnIsStoppedAtTheRunsTimeoutAndTheOtherSamplesAreWritten(@TempDir Path dir)
            throws Exception {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Files.writeString(tools.resolve("wait.yaml"), """
                id: test/WaitFor:1.0
                inputs:
                  - {id: seconds, type: Int}
                outputs:
                  - {id: waited, type: Int, collect: {stdout: '(\\d+)'}}
                command:
                  executable: sh
                  arguments: ["-c", 'sleep "$1"; echo "$1"', "sh", {value: seconds}]
                """);
        Path network = Files.writeString(dir.resolve("wait.yaml"), """
                network: waits
                sources:
                  seconds: {type: Int}
                nodes:
                  wait: {tool: test/WaitFor:1.0, inputs: {seconds: seconds}}
                sinks:
                  waited: {from: wait.waited, url: "SINKS/{sample_id}.txt"}
                """.replace("SINKS", dir.resolve("sinks").toUri().toString().replaceAll("/$", "")));

        CohortflowCommandTest.Result r = CohortflowCommandTest.run("run", network.toString(), "--tools", tools.toString(),
                "--source", "seconds=now:0,never:300", "--work", dir.resolve("work").toString(), "--timeout", "2s",
                "--progress", "off");

        assertEquals(1, r.code(), r.out() + r.err());
        JsonNode failure = new ObjectMapper().readTree(dir.resolve("work/waits/report.json").toFile()).get("failures").get(0);
        assertEquals("sample 'never': tool test/WaitFor:1.0 timed out after 2s and was killed with every process it "
                + "started (the run's default timeout; set one per tool or with --timeout)", failure.get("error").asText());
        assertEquals("0\n", Files.readString(dir.resolve("sinks/now.txt")));
    }

    @Test
    void aTimeoutThatIsNoDurationIsAUsageError(@TempDir Path dir) {
        CohortflowCommandTest.Result r = CohortflowCommandTest.run("run",
                CohortflowCommandTest.examples().resolve("networks/add-ints.yaml").toString(), "--source", "numbers=a:1",
                "--work", dir.resolve("work").toString(), "--timeout", "soon");

        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("'soon' is not a duration such as 30s, 10m or 2h"), r.err());
    }
}
