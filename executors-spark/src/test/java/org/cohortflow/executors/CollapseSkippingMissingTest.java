package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** One failed sample does not cost the cohort table when the collapse says {@code missing: skip}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollapseSkippingMissingTest {
    private SparkExecutor spark;

    @TempDir
    Path dir;

    @BeforeAll
    void startSpark() {
        spark = SharedSpark.start();
    }

    @AfterAll
    void stopSpark() {
        spark.close();
    }

    private static final String COHORT = """
            network: cohort
            sources:
              texts: {type: TextFile}
            nodes:
              count: {tool: test/CountUnlessBad:1.0, inputs: {text: texts}}
              total: {tool: basic/Sum:1.0, inputs: {values: {from: count.lines, collapse: texts, MISSING}}}
            sinks:
              total: {from: total.total, url: "file:///x/total.txt"}
            """;

    private RunSpec spec(String missing, String name, Map<String, String> texts) {
        NetworkYaml.Loaded n = Fixtures.network(COHORT.replace("MISSING", missing), dir.resolve(name).resolve("sinks"));
        SourceData.Builder b = SourceData.builder();
        texts.forEach((id, t) -> b.add("texts", id, Fixtures.write(dir.resolve("in").resolve(id + ".txt"), t).toString()));
        return RunSpec.of(n.network(), n.locator(), Fixtures.tools(), b.build(), dir.resolve(name).resolve("work").toUri());
    }

    private static final Map<String, String> ONE_BAD = Map.of("a", "1\n", "b", "1\n2\n", "c", "bad\n", "d", "1\n2\n3\n");

    @Test
    void aSkippingCollapseTotalsTheSamplesThatSucceededOnBothExecutorsAndSaysWhoIsLeftOut() throws Exception {
        RunReport l;
        try (LocalExecutor local = new LocalExecutor(2)) {
            l = local.run(spec("missing: skip", "local", ONE_BAD));
        }
        RunReport k = spark.run(spec("missing: skip", "spark", ONE_BAD));
        for (RunReport r : List.of(l, k)) {
            assertEquals(1, r.exitCode(), "the failed sample still fails the run: " + r.summary());
            assertEquals(1, r.failures().size(), r.summary());
            assertEquals(List.of(new RunReport.LeftOut("total", "all", "values", "c", "job count/c failed")), r.leftOut());
            assertEquals(List.of(), r.missing(), r.summary());
            assertTrue(r.summary().contains("total / all without c: job count/c failed"), r.summary());
        }
        Map<String, String> local = Fixtures.outputs(dir.resolve("local/sinks"));
        assertEquals(Map.of("total/total.txt", "6.0\n"), local);
        assertEquals(local, Fixtures.outputs(dir.resolve("spark/sinks")));
        String prov = Files.readString(dir.resolve("local/sinks/total/total.txt.prov.json"));
        assertTrue(prov.replaceAll("\\s", "").contains("\"cf:leftOut\":[\"c(values):jobcount/cfailed\"]"), prov);
    }

    @Test
    void withoutMissingSkipTheCollapseStaysMissingAsInFastr() {
        RunReport r;
        try (LocalExecutor local = new LocalExecutor(2)) {
            r = local.run(spec("group: default", "fastr", ONE_BAD));
        }
        assertEquals(1, r.exitCode());
        assertTrue(r.missing().stream().anyMatch(m -> m.node().equals("total")), r.summary());
        assertEquals(Map.of(), Fixtures.outputs(dir.resolve("fastr/sinks")));
    }

    @Test
    void whenEverySampleFailsTheSkippingCollapseIsMissingWithTheReason() {
        RunReport r;
        try (LocalExecutor local = new LocalExecutor(2)) {
            r = local.run(spec("missing: skip", "none", Map.of("a", "bad\n", "b", "bad\n")));
        }
        assertTrue(r.missing().stream().anyMatch(m -> m.node().equals("total")
                && m.reason().contains("has no sample left: every one failed or is missing")), r.summary());
    }

    @Test
    void aRerunWithTheSameFailureReusesTheTotalAndAFixedSampleRerunsIt() {
        try (LocalExecutor local = new LocalExecutor(2)) {
            local.run(spec("missing: skip", "again", ONE_BAD));
            RunReport same = local.run(spec("missing: skip", "again", ONE_BAD).withResume(true));
            assertEquals(1, same.nodes().get(1).cached(), same.summary());
            Map<String, String> fixed = new java.util.HashMap<>(ONE_BAD);
            fixed.put("c", "1\n2\n3\n4\n");
            RunReport after = local.run(spec("missing: skip", "again", fixed).withResume(true));
            assertEquals(0, after.exitCode(), after.summary());
            assertEquals(0, after.nodes().get(1).cached(), after.summary());
            assertEquals(List.of(), after.leftOut());
        }
        assertEquals("10.0\n", Fixtures.outputs(dir.resolve("again/sinks")).get("total/total.txt"));
    }
}
