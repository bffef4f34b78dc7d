package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.storage.SinkWrite;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.executors.testing.Fixtures;
import org.cohortflow.executors.trace.RunTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tool's warnings (an input accepted although not as it should be) reach the job's record, its trace and provenance. */
class ToolWarningsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aWarningOfAToolIsInTheJobRecordTheTraceAndTheProvenanceOfItsOutputOnly(@TempDir Path dir) throws IOException {
        NetworkYaml.Loaded n = Fixtures.network("""
                network: warnings
                sources:
                  values: {type: Int}
                nodes:
                  check: {tool: test/WarnOn:1.0, inputs: {value: values}, parameters: {bad: 7}}
                sinks:
                  checked: {from: check.result, url: "file:///x/{sample_id}.txt"}
                """, dir.resolve("sinks"));
        SourceData data = SourceData.builder().add("values", "odd", "7").add("values", "fine", "1").build();
        RunReport r;
        try (LocalExecutor local = new LocalExecutor(2)) {
            r = local.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri()));
        }
        assertEquals(0, r.exitCode(), r.summary());
        assertEquals(Map.of("odd.txt", "8\n", "fine.txt", "2\n"), Fixtures.outputs(dir.resolve("sinks/checked")));

        String warning = "value 7 accepted although it is the suspicious one";
        RunTrace trace = new RunTrace(new Storage(Map.of()), dir.resolve("work/warnings").toUri());
        assertTrue(trace.job("check", "odd").contains("warning:    " + warning), trace.job("check", "odd"));
        assertFalse(trace.job("check", "fine").contains("warning:"), trace.job("check", "fine"));

        JsonNode odd = JSON.readTree(dir.resolve("sinks/checked/odd.txt" + SinkWrite.PROVENANCE_SUFFIX).toFile());
        assertEquals(List.of(warning), JSON.convertValue(odd.at("/activity/run:job~1check~1odd/cf:warnings"), List.class));
        JsonNode fine = JSON.readTree(dir.resolve("sinks/checked/fine.txt" + SinkWrite.PROVENANCE_SUFFIX).toFile());
        assertTrue(fine.at("/activity/run:job~1check~1fine/cf:warnings").isMissingNode(), fine.toString());
    }
}
