package org.cohortflow.monitor.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cohortflow.monitor.MonitorFixture;
import org.cohortflow.server.testing.Chromium;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A run of 10,000 jobs (5,000 samples x 2 nodes) in a real Chromium: the page keeps only the rows in view
 * in the document, and a later batch changes the one cell it concerns, at the end of the grid.
 */
class LargeRunPageIT {
    private static final int SAMPLES = 5_000;

    @TempDir
    Path dir;

    @Test
    void a_run_of_ten_thousand_jobs_is_drawn_from_a_few_hundred_elements_and_updated_by_deltas() throws Exception {
        try (TestDatabase dbs = TestDatabase.h2(); MonitorFixture m = MonitorFixture.start(dbs.fresh(), dir);
             Chromium chromium = Chromium.start()) {
            HttpTestClient r = m.reporter();
            String network = "{\"id\": \"big\", \"sources\": [{\"id\": \"s\", \"type\": \"Int\"}], \"nodes\": ["
                    + "{\"id\": \"a\", \"tool\": \"t/A:1\", \"inputs\": [{\"id\": \"x\", \"type\": \"Int\", \"links\": [{\"from\": \"s\", \"collapse\": null, \"expand\": false}]}]},"
                    + "{\"id\": \"b\", \"tool\": \"t/B:1\", \"inputs\": [{\"id\": \"x\", \"type\": \"Int\", \"links\": [{\"from\": \"a.y\", \"collapse\": null, \"expand\": false}]}]}],"
                    + " \"sinks\": []}";
            assertEquals(201, r.put("/api/v1/runs/big", "{\"name\": \"big\", \"network\": " + network
                    + ", \"executor\": \"local\", \"runDir\": null, \"host\": null, \"startedAt\": null}").status());
            List<String> events = new ArrayList<>();
            events.add("{\"time\": 1, \"type\": \"planned\", \"node\": \"a\", \"sample\": null, \"state\": \"" + SAMPLES + "\", \"detail\": null}");
            events.add("{\"time\": 1, \"type\": \"planned\", \"node\": \"b\", \"sample\": null, \"state\": \"" + SAMPLES + "\", \"detail\": null}");
            for (int i = 0; i < SAMPLES; i++) {
                String s = String.format("p%05d", i);
                events.add("{\"time\": " + (1000 + i) + ", \"type\": \"job\", \"node\": \"a\", \"sample\": \"" + s
                        + "\", \"state\": \"succeeded\", \"detail\": null}");
                events.add("{\"time\": " + (2000 + i) + ", \"type\": \"job\", \"node\": \"b\", \"sample\": \"" + s
                        + "\", \"state\": \"" + (i % 2 == 0 ? "succeeded" : "running") + "\", \"detail\": null}");
            }
            assertEquals(200, r.post("/api/v1/runs/big/batches", "{\"seq\": 1, \"dropped\": 0, \"events\": ["
                    + String.join(",", events) + "]}").status());

            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(60));
            d.get(m.baseUri() + "/runs/big");
            d.findElement(By.id("name")).sendKeys("viewer");
            d.findElement(By.id("password")).sendKeys(MonitorFixture.VIEWER_PASSWORD);
            d.findElement(By.id("login")).click();
            JavascriptExecutor js = (JavascriptExecutor) d;
            wait.until(x -> "5000".equals(String.valueOf(js.executeScript(
                    "const t = document.querySelector(\"#graph g[data-node='a'] text.counts\"); return t ? t.getAttribute('data-done') : null;"))));
            long cells = (Long) js.executeScript("return document.querySelectorAll('.g').length;");
            assertTrue(cells > 0 && cells < 400, "only the rows in view are in the page: " + cells + " cells");
            long height = (Long) js.executeScript("return document.querySelector('.grid-scroll').scrollHeight;");
            assertTrue(height >= SAMPLES * 18L, "the grid is as tall as 5,000 rows: " + height);

            js.executeScript("window.notReloaded = true;");
            String last = String.format("p%05d", SAMPLES - 1);
            assertEquals(200, r.post("/api/v1/runs/big/batches", "{\"seq\": 2, \"dropped\": 0, \"events\": ["
                    + "{\"time\": 9000, \"type\": \"job\", \"node\": \"b\", \"sample\": \"" + last + "\", \"state\": \"failed\", "
                    + "\"detail\": \"exit code 9\"}]}").status());
            js.executeScript("const g = document.querySelector('.grid-scroll'); g.scrollTop = g.scrollHeight;");
            wait.until(x -> !x.findElements(By.cssSelector(".g[data-node='b'][data-sample='" + last + "'][data-state='failed']")).isEmpty());
            wait.until(x -> x.findElements(By.cssSelector("#failures li.failure")).size() == 1);
            assertEquals(Boolean.TRUE, js.executeScript("return window.notReloaded === true;"));
            assertEquals("1", d.findElement(By.cssSelector("#graph g[data-node='b'] text.counts")).getAttribute("data-failed"));
            long after = (Long) js.executeScript("return document.querySelectorAll('.g').length;");
            assertTrue(after < 400, "still only the rows in view: " + after);
            assertTrue(Chromium.distinctColours(chromium.screenshot(Path.of("target/screenshots/large-run.png")), 20) >= 5);
        }
    }
}
