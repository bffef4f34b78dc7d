package org.cohortflow.executors.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every run writes {@code report.html} beside {@code report.json}: self-contained, with the failure in full,
 * the grid, the timeline of the jobs that ran and the counts of run and cached jobs per node. (Its browser
 * test is the cli's {@code RunReportPageIT}.)
 */
class RunReportPageTest {
    @TempDir
    Path dir;

    private RunReport run(boolean resume) {
        NetworkYaml.Loaded n = Fixtures.network("""
                network: counting
                sources:
                  texts: {type: TextFile}
                nodes:
                  count: {tool: test/CountUnlessBad:1.0, inputs: {text: texts}}
                  total: {tool: basic/Sum:1.0, inputs: {values: {from: count.lines, collapse: texts}}}
                sinks:
                  lines: {from: count.lines, url: "file:///x/{sample_id}.txt"}
                """, dir.resolve("sinks"));
        SourceData.Builder b = SourceData.builder();
        Map.of("a", "1\n", "b", "1\n2\n", "c", "<bad & \"quoted\">\n").forEach((id, t) ->
                b.add("texts", id, Fixtures.write(dir.resolve("in/" + id + ".txt"), t).toString()));
        RunSpec spec = RunSpec.of(n.network(), n.locator(), Fixtures.tools(), b.build(), dir.resolve("work").toUri());
        try (LocalExecutor local = new LocalExecutor(2)) {
            return local.run(spec.withResume(resume));
        }
    }

    @Test
    void aRunWithAFailedSampleWritesASelfContainedPageWithTheFailureGridAndTimeline() throws Exception {
        assertEquals(1, run(false).exitCode());
        String html = Files.readString(dir.resolve("work/counting/report.html"));

        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script")
                || html.contains("<link"), "no scripts and nothing fetched from elsewhere");
        assertTrue(html.contains("<span id=\"run-status\" class=\"bad\">failed</span>"));
        assertTrue(html.contains("<div class=\"failure\" data-node=\"count\" data-sample=\"c\">"), html);
        assertTrue(html.contains("exit code: <b class=\"exit-code\">3</b>"));
        assertTrue(html.contains("it is bad</pre>"), "the stderr tail is shown");
        assertTrue(html.contains("<code class=\"command\">sh -c "), "the command is shown");
        assertTrue(html.contains("data-node=\"count\" data-sample=\"c\" data-state=\"failed\""));
        assertTrue(html.contains("data-node=\"count\" data-sample=\"a\" data-state=\"succeeded\""));
        assertTrue(html.contains("data-node=\"total\" data-sample=\"all\" data-state=\"missing\""));
        assertEquals(3, count(html, "<rect class=\"span\" data-lane=\"count\""), "three count jobs ran");
        assertEquals(0, count(html, "<rect class=\"span\" data-lane=\"total\""), "the total never ran");
        assertTrue(html.contains("<tr><td>count</td><td>2</td><td>0</td><td class=\"bad\">1</td><td>0</td>"), "count: 2 run, 0 cached, 1 failed");
    }

    @Test
    void aResumedRunShowsReusedJobsAsCachedWithoutBarsInTheTimeline() throws Exception {
        run(false);
        RunReport again = run(true);
        // The reused jobs are logged cached at this run's time, not at the end of the run that made them.
        for (String line : Files.readAllLines(dir.resolve("work/counting/events.jsonl"))) {
            if (line.contains("\"state\":\"cached\"")) {
                long time = Long.parseLong(line.replaceAll(".*\"time\":(\\d+).*", "$1"));
                assertTrue(time >= again.start().toEpochMilli(), line + " is of the resumed run, started " + again.start());
            }
        }
        String html = Files.readString(dir.resolve("work/counting/report.html"));

        assertTrue(html.contains("<tr><td>count</td><td>0</td><td>2</td><td class=\"bad\">1</td><td>0</td>"),
                "count on resume: 0 run, 2 cached, 1 failed again");
        assertTrue(html.contains("data-node=\"count\" data-sample=\"a\" data-state=\"cached\""));
        assertEquals(1, count(html, "<rect class=\"span\" data-lane=\"count\""), "only the failed job ran again");
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
