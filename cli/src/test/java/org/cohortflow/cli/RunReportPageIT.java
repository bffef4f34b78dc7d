package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cohortflow.server.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code cohortflow run} on Spark with one failing sample, then its {@code report.html} opened in a real
 * Chromium: the failure with its command, exit code and stderr, the grid with the failed cell red on screen,
 * and the timeline with a bar per job that ran. The same run has Spark's UI on (its address printed) and its
 * event log on ({@code --conf spark.eventLog.*}), which describes each Spark job by the network.
 */
class RunReportPageIT {
    private static final String TOOL = TraceCommandTest.TOOL;

    @TempDir
    Path dir;

    @Test
    void theReportPageOfARunWithAFailedSampleShowsTheFailureTheGridAndTheTimelineInChromium() throws Exception {
        Files.createDirectories(dir.resolve("tools"));
        Files.writeString(dir.resolve("tools/count-unless-bad.yaml"), TOOL);
        Path net = Files.writeString(dir.resolve("lines.yaml"), """
                network: lines
                sources:
                  texts: {type: TextFile}
                nodes:
                  count: {tool: it/CountUnlessBad:1.0, inputs: {text: texts}}
                  total: {tool: basic/Sum:1.0, inputs: {values: {from: count.lines, collapse: texts}}}
                sinks:
                  lines: {from: count.lines, url: "%s/{sample_id}.txt"}
                """.formatted(dir.resolve("out").toUri()));
        Files.createDirectories(dir.resolve("in"));
        for (var e : Map.of("s01", "1\n", "s02", "1\n2\n", "s03", "bad\n", "s04", "1\n2\n3\n").entrySet()) {
            Files.writeString(dir.resolve("in/" + e.getKey() + ".txt"), e.getValue());
        }
        Path sparkEvents = Files.createDirectories(dir.resolve("spark-events"));

        CohortflowCommandTest.Result r = CohortflowCommandTest.run("run", net.toString(), "--tools", dir.resolve("tools").toString(),
                "--source", "texts=" + dir.resolve("in") + "/*.txt", "--work", dir.resolve("work").toString(),
                "--executor", "spark", "--master", "local[2]", "--progress", "off",
                "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=" + sparkEvents.toUri(),
                "--conf", "spark.eventLog.compress=false",
                // Any free port: other tests on this machine may hold 4040 and the next ones (the search is SparkUiTest's).
                "--conf", "spark.ui.port=0");

        assertEquals(1, r.code(), r.out() + r.err());
        Matcher page = Pattern.compile("report page: (\\S+)").matcher(r.out());
        assertTrue(page.find(), r.out());
        assertEquals(dir.resolve("work/lines/report.html").toUri(), URI.create(page.group(1)).normalize());
        assertTrue(r.out().contains("Spark UI (while the run lasts): http://"), "Spark's UI ran, its address printed: " + r.out());
        assertTrue(sparkLog(sparkEvents).contains("cohortflow network 'lines', run 'lines', batch 1: 4 tasks of count"),
                "the Spark event log describes the run's Spark jobs");

        try (Chromium chromium = Chromium.start()) {
            WebDriver d = chromium.driver();
            d.get(page.group(1));
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(30));
            WebElement failure = wait.until(x -> x.findElements(By.cssSelector("#failures .failure")).stream().findFirst().orElse(null));
            assertEquals(1, d.findElements(By.cssSelector("#failures .failure")).size());
            assertTrue(failure.getText().startsWith("count / s03"), failure.getText());
            assertEquals("3", failure.findElement(By.cssSelector(".exit-code")).getText());
            assertTrue(failure.findElement(By.cssSelector(".command")).getText().startsWith("sh -c"));
            assertTrue(failure.findElement(By.cssSelector(".stderr")).getText().contains("it is bad"));

            WebElement failedCell = d.findElement(By.cssSelector("#grid td[data-node='count'][data-sample='s03']"));
            assertEquals("failed", failedCell.getAttribute("data-state"));
            assertEquals(3, d.findElements(By.cssSelector("#grid td[data-node='count'][data-state='succeeded']")).size());
            assertEquals("missing", d.findElement(By.cssSelector("#grid td[data-node='total']")).getAttribute("data-state"));

            WebElement timeline = d.findElement(By.id("timeline"));
            assertTrue(timeline.isDisplayed());
            List<WebElement> bars = timeline.findElements(By.cssSelector("rect.span[data-lane='count']"));
            assertEquals(4, bars.size(), "a bar per count job");
            assertTrue(bars.stream().allMatch(b -> b.getSize().getWidth() >= 1), "every bar has a width");

            ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'});", failedCell);
            @SuppressWarnings("unchecked")
            Map<String, Number> box = (Map<String, Number>) ((JavascriptExecutor) d).executeScript(
                    "const b = arguments[0].getBoundingClientRect(); return {x: b.x + b.width / 2, y: b.y + b.height / 2};", failedCell);
            BufferedImage shot = chromium.screenshot(Path.of("target/screenshots/report-grid.png"));
            assertTrue(Chromium.distinctColours(shot, 20) >= 5, "the screenshot shows a page, not a blank");
            int rgb = shot.getRGB(box.get("x").intValue(), box.get("y").intValue());
            int red = (rgb >> 16) & 0xff, green = (rgb >> 8) & 0xff, blue = rgb & 0xff;
            assertTrue(red > 180 && green < 100 && blue < 100, "the failed cell is red on screen, found rgb(" + red + "," + green + "," + blue + ")");

            ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'});", timeline);
            BufferedImage tl = chromium.screenshot(Path.of("target/screenshots/report-timeline.png"));
            assertTrue(Chromium.distinctColours(tl, 20) >= 5, "the timeline is drawn");
        }
    }

    private static String sparkLog(Path folder) throws Exception {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                s.append(Files.readString(f));
            }
        }
        return s.toString();
    }
}
