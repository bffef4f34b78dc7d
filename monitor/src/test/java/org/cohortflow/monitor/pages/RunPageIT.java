package org.cohortflow.monitor.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cohortflow.executors.monitor.MonitorSettings;
import org.cohortflow.monitor.MonitorFixture;
import org.cohortflow.monitor.reporting.CountingRunAccess;
import org.cohortflow.server.testing.Chromium;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * In a real Chromium: a viewer watches the list of runs, a run appears in it while it goes on, its page's
 * samples x nodes grid fills in without a reload, and when the run is over the failed job is found with its
 * command, exit code and stderr.
 */
class RunPageIT {
    private static final int SAMPLES = 60;

    @TempDir
    Path dir;

    @Test
    void a_viewer_sees_the_grid_fill_in_while_the_run_goes_on_and_finds_the_failure() throws Exception {
        CountingRunAccess.prepare(dir, SAMPLES);
        try (TestDatabase dbs = TestDatabase.h2(); MonitorFixture m = MonitorFixture.start(dbs.fresh(), dir.resolve("monitor"));
             Chromium chromium = Chromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(60));
            d.get(m.baseUri() + "/runs");
            d.findElement(By.id("name")).sendKeys("viewer");
            d.findElement(By.id("password")).sendKeys(MonitorFixture.VIEWER_PASSWORD);
            d.findElement(By.id("login")).click();
            wait.until(x -> !x.findElements(By.id("runs")).isEmpty());
            // The list is live: the run appears in it without a reload.
            ((JavascriptExecutor) d).executeScript("window.notReloaded = true;");
            MonitorSettings settings = MonitorSettings.of(m.baseUri(), Optional.of(m.reporterToken()))
                    .withInterval(Duration.ofMillis(300));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() ->
                    CountingRunAccess.run(dir, "watched", Optional.of(settings)));
            // Rows are replaced as the run's summary changes: keep the address, not the element.
            String page = wait.until(x -> (String) ((JavascriptExecutor) x).executeScript(
                    "const a = document.querySelector('#runs tbody tr a'); return a ? a.href : null;"));
            assertEquals(Boolean.TRUE, ((JavascriptExecutor) d).executeScript("return window.notReloaded === true;"));
            d.get(page);

            wait.until(x -> x.findElements(By.cssSelector(".g[data-node='count'][data-state='succeeded']")).size() > 0);
            assertEquals("running", d.findElement(By.id("run-status")).getText(), "the run is still going on");
            ((JavascriptExecutor) d).executeScript("window.notReloaded = true;");
            int before = d.findElements(By.cssSelector(".g[data-node='count'][data-state='succeeded']")).size();
            wait.until(x -> x.findElements(By.cssSelector(".g[data-node='count'][data-state='succeeded']")).size() > before);
            assertEquals(Boolean.TRUE, ((JavascriptExecutor) d).executeScript("return window.notReloaded === true;"),
                    "the grid changed without reloading the page");

            assertEquals(1, run.get(3, TimeUnit.MINUTES));
            wait.until(x -> x.findElement(By.id("run-status")).getText().equals("failed"));
            WebElement failure = wait.until(x -> x.findElements(By.cssSelector("#failures li.failure")).stream().findFirst().orElse(null));
            assertEquals("count / s03", failure.getText());
            failure.click();
            WebElement stderr = wait.until(x -> x.findElements(By.cssSelector("#job-detail .job-stderr")).stream().findFirst().orElse(null));
            assertTrue(stderr.getText().contains("it is bad"), stderr.getText());
            assertEquals("3", d.findElement(By.cssSelector("#job-detail .job-exit")).getText());
            assertTrue(d.findElement(By.cssSelector("#job-detail .job-command")).getText().startsWith("sh -c"));
            assertTrue(d.findElement(By.cssSelector("#job-detail .job-logs")).getAttribute("href").endsWith("/count/s03/stderr.txt"));
            WebElement counts = d.findElement(By.cssSelector("#graph g[data-node='count'] text.counts"));
            assertEquals("1", counts.getAttribute("data-failed"));
            assertEquals(String.valueOf(SAMPLES - 1), counts.getAttribute("data-done"));
            assertEquals(5L, ((JavascriptExecutor) d).executeScript(
                    "return document.querySelectorAll('#graph g[data-node]').length;"), "a source, two nodes and two sinks are drawn");

            // The failed cell is red on screen.
            ((JavascriptExecutor) d).executeScript("document.querySelector(\".g[data-node='count'][data-sample='s03']\")"
                    + ".scrollIntoView({block: 'center'});");
            // The grid re-draws its rows on scroll: find the cell again, in window coordinates, and look again until
            // the frame is drawn (later on a loaded machine) or 30 s have passed.
            long deadline = System.nanoTime() + 30_000_000_000L;
            BufferedImage shot;
            int red, green, blue;
            do {
                Thread.sleep(300);
                @SuppressWarnings("unchecked")
                java.util.Map<String, Number> box = (java.util.Map<String, Number>) ((JavascriptExecutor) d).executeScript(
                        "const b = document.querySelector(\".g[data-node='count'][data-sample='s03']\").getBoundingClientRect();"
                        + "return {x: b.x + b.width / 2, y: b.y + b.height / 2};");
                shot = chromium.screenshot(Path.of("target/screenshots/run-page.png"));
                int rgb = shot.getRGB(box.get("x").intValue(), box.get("y").intValue());
                red = (rgb >> 16) & 0xff;
                green = (rgb >> 8) & 0xff;
                blue = rgb & 0xff;
            } while (!(red > 180 && green < 100 && blue < 100) && System.nanoTime() < deadline);
            assertTrue(Chromium.distinctColours(shot, 20) >= 5, "the screenshot shows a page, not a blank");
            assertTrue(red > 180 && green < 100 && blue < 100, "the failed cell is red on screen, found rgb(" + red + "," + green + "," + blue + ")");

            ((JavascriptExecutor) d).executeScript("window.scrollTo(0, 0);");
            Thread.sleep(200);
            BufferedImage top = chromium.screenshot(Path.of("target/screenshots/run-graph.png"));
            assertTrue(Chromium.distinctColours(top, 20) >= 5, "the network graph is drawn");
        }
    }
}
