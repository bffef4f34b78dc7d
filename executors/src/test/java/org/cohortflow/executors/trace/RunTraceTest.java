package org.cohortflow.executors.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohortflow trace} on real runs: the failed samples, one failed job in full, and why jobs ran again. */
class RunTraceTest {
    private static final String NETWORK = """
            network: counting
            sources:
              texts: {type: TextFile}
            nodes:
              count: {tool: test/CountUnlessBad:1.0, inputs: {text: texts}}
              total: {tool: basic/Sum:1.0, inputs: {values: {from: count.lines, collapse: texts}}}
            sinks:
              lines: {from: count.lines, url: "file:///x/{sample_id}.txt"}
            """;

    @TempDir
    Path dir;

    private RunReport run(Map<String, String> texts, boolean resume) {
        NetworkYaml.Loaded n = Fixtures.network(NETWORK, dir.resolve("sinks"));
        SourceData.Builder b = SourceData.builder();
        texts.forEach((id, t) -> b.add("texts", id, Fixtures.write(dir.resolve("in/" + id + ".txt"), t).toString()));
        RunSpec spec = RunSpec.of(n.network(), n.locator(), Fixtures.tools(), b.build(), dir.resolve("work").toUri());
        try (LocalExecutor local = new LocalExecutor(2)) {
            return local.run(resume ? spec.withResume(true) : spec);
        }
    }

    private RunTrace trace() {
        return new RunTrace(new Storage(Map.of()), dir.resolve("work/counting").toUri());
    }

    @Test
    void theFailedSamplesOfARunAreListedWithTheirCauseAndHowToTraceOne() throws Exception {
        assertEquals(1, run(Map.of("a", "1\n", "b", "bad\n"), false).exitCode());

        String failures = trace().failures();
        assertTrue(failures.contains("failed samples:\n  count/b: sample 'b': "), failures);
        assertTrue(failures.contains("missing (not run because of another job):\n  total/all: job count/b failed"), failures);
        assertTrue(failures.contains("one job in full: cohortflow trace " + dir.resolve("work/counting").toUri() + " count/b"), failures);
        assertTrue(trace().node("count").contains("b                        failed"), trace().node("count"));
    }

    @Test
    void aFailedJobIsShownWithInputsHashesCommandExitCodeStderrKeyWhyItRanAndProvenance() throws Exception {
        run(Map.of("a", "1\n", "b", "bad\n"), false);

        String job = trace().job("count", "b");
        assertTrue(job.contains("state:      failed"), job);
        assertTrue(job.contains("tool:       test/CountUnlessBad:1.0"), job);
        assertTrue(job.contains("exit code:  3"), job);
        assertTrue(job.contains("command:    sh -c "), job);
        assertTrue(job.contains("  text[0] TextFile from source texts"), job);
        assertTrue(job.contains("      sha256 " + FileType.contentHash(dir.resolve("in/b.txt"))), job);
        assertTrue(job.contains("  | cannot process "), "stderr is shown: " + job);
        assertTrue(job.contains("run because: no earlier result"), job);
        assertTrue(job.contains("provenance (what it was made from, back to the sources):\n  job count/b (test/CountUnlessBad:1.0"), job);
    }

    @Test
    void aRerunSaysWhichJobsWereReusedAndWhyTheOthersRanAgain() throws Exception {
        run(Map.of("a", "1\n", "b", "bad\n", "c", "1\n2\n"), false);
        // b is repaired, c changes, a stays: a resumed run reuses a, runs b (failed before) and c (new content).
        assertEquals(0, run(Map.of("a", "1\n", "b", "fine\n", "c", "1\n2\n3\n"), true).exitCode());

        assertTrue(trace().job("count", "a").contains("run because: it did not run: its result from an earlier run was reused"),
                trace().job("count", "a"));
        String b = trace().job("count", "b");
        assertTrue(b.contains("run because: the earlier attempt failed: sample 'b': "), b);
        String c = trace().job("count", "c");
        assertTrue(c.contains("run because: the job's key changed ("), c);
        assertTrue(c.contains("): input text[0] changed ("), c);
        String total = trace().job("total", "all");
        assertTrue(total.contains("outputs:\n  total[0] Float = 5.0"), total);
        assertTrue(total.contains(" Int from job count/c.lines[0]\n      value  3\n"), "an input's value: " + total);
        assertTrue(total.contains("provenance (what it was made from, back to the sources):\n  job total/all (basic/Sum:1.0, key "), total);
        assertTrue(total.contains("\n    job count/c (test/CountUnlessBad:1.0, key "), total);
        assertTrue(total.contains("\n      source texts[c] " + dir.resolve("in/c.txt").toUri()), total);
    }

    @Test
    void valuesGivenBySourcesAndLiteralsAreShownWithTheirHashes() throws Exception {
        NetworkYaml.Loaded n = Fixtures.network("""
                network: adding
                sources:
                  numbers: {type: Int}
                nodes:
                  add: {tool: basic/AddInt:1.0, inputs: {left: numbers}, parameters: {right: 10}}
                sinks:
                  sums: {from: add.result, url: "file:///x/{sample_id}.txt"}
                """, dir.resolve("sinks"));
        SourceData data = SourceData.builder().add("numbers", "a", "32").build();
        try (LocalExecutor local = new LocalExecutor(1)) {
            assertEquals(0, local.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri())).exitCode());
        }
        String job = new RunTrace(new Storage(Map.of()), dir.resolve("work/adding").toUri()).job("add", "a");
        assertTrue(job.contains("  left[0] Int from source numbers[a]\n      value  32\n      sha256 "), job);
        assertTrue(job.contains("  right[0] Int from literal 10\n"), job);
        assertTrue(job.contains("outputs:\n  result[0] Int = 42\n"), job);
    }
}
