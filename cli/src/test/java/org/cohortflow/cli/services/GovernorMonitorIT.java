package org.cohortflow.cli.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.cohortflow.governance.GovernorFixture;
import org.cohortflow.server.testing.Chromium;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A governor configured with a monitor reports its {@code pipeline} callbacks' runs there: the monitor, started
 * by {@code cohortflow serve monitor --config FILE} in its own JVM, holds the run with every job's final state
 * as the run's report.json says; the governor's experiment page links to that report over HTTP (served by the
 * governor, not a {@code file:} URI) and to the run's page at the monitor, and both open in Chromium.
 *
 * <p>In the cli module: the one module that depends on the governor and the monitor (shared/DESIGN.md's table).
 */
class GovernorMonitorIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Duration WITHIN = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void a_pipeline_callback_reports_its_run_to_the_monitor_and_the_governor_page_links_to_it_and_to_its_report_over_http() throws Exception {
        try (TestDatabase dbs = TestDatabase.h2()) {
            Path monitorConfig = dir.resolve("monitor.yaml");
            var mdb = dbs.fresh();
            Files.writeString(monitorConfig, "port: " + ServiceProcess.freePort() + "\nhost: 127.0.0.1\ndata: " + dir.resolve("monitor-data") + "\n"
                    + "database: {url: " + HttpTestClient.quote(mdb.url()) + ", user: " + HttpTestClient.quote(mdb.user())
                    + ", password: " + HttpTestClient.quote(mdb.password()) + "}\nadmin: {name: root, password: root-password}\n");
            try (ServiceProcess monitor = ServiceProcess.serve("monitor", monitorConfig, dir.resolve("monitor.log"))) {
                HttpTestClient monitorAdmin = HttpTestClient.anonymous(monitor.baseUri()).withPassword("root", "root-password");
                expect(201, monitorAdmin.post("/api/v1/users", "{\"name\":\"governor\",\"password\":\"governor-password\",\"roles\":[\"manager\"]}"));
                expect(201, monitorAdmin.post("/api/v1/users", "{\"name\":\"watcher\",\"password\":\"watcher-password\",\"roles\":[\"viewer\"]}"));
                HttpTestClient.Response token = monitorAdmin.post("/api/v1/tokens", "{\"label\":\"governor\",\"user\":\"governor\"}");
                expect(201, token);

                Path texts = Files.createDirectories(dir.resolve("texts"));
                Files.writeString(texts.resolve("notes.txt"), "one\ntwo\nthree\n");
                Map<String, Object> settings = Map.of(
                        "pipelines", Map.of("root", ROOT.toString(), "executor", "local"),
                        "monitor", Map.of("url", monitor.baseUri().toString(), "token", token.json().path("value").asText(),
                                // A loaded CI machine may need more than the default 5 s for the last batch.
                                "closeWait", "60s"));
                try (GovernorFixture gov = new GovernorFixture(GovernorFixture.config(dbs.fresh(), dir.resolve("governor-data"), 0)
                        .withSettings(settings))) {
                    gov.studyWithWorkflow("lines", """
                            workflow: lines
                            initial: counting
                            states:
                              counting:
                                callbacks:
                                  - name: count
                                    type: pipeline
                                    args: {network: examples/networks/count-lines.yaml, tools: [examples/tools], sources: {texts: "scan:notes"}}
                                transitions:
                                  - {to: counted, condition: "callbacks.count.result == 'success'"}
                                  - {to: failed}
                              counted: {final: true}
                              failed: {final: true}
                            """);
                    HttpTestClient.Response made = gov.manager.post("/api/v1/experiments", "{\"study\":\"lines\",\"subject\":\"s1\",\"label\":\"v1\","
                            + "\"scans\":[{\"label\":\"notes\",\"modality\":\"OT\",\"kind\":\"file\",\"url\":"
                            + HttpTestClient.quote(texts.resolve("notes.txt").toString()) + "}]}");
                    expect(201, made);
                    long experiment = made.json().at("/experiment/id").asLong();
                    gov.awaitState(experiment, "counted", WITHIN);

                    JsonNode callback = gov.viewer.get("/api/v1/experiments/" + experiment + "/callbacks").json().get(0);
                    JsonNode output = JSON.readTree(callback.path("output").asText());
                    String page = output.path("monitor").asText();
                    assertTrue(page.startsWith(monitor.baseUri() + "/runs/"), "the run's page at the monitor: " + output);
                    assertTrue(!output.has("monitorProblem"), output.toString());
                    String key = page.substring(page.lastIndexOf('/') + 1);

                    // The monitor holds the run, finished, with every job's final state as report.json has it.
                    HttpTestClient reporter = HttpTestClient.anonymous(monitor.baseUri()).withPassword("watcher", "watcher-password");
                    GovernorFixture.await(() -> "succeeded".equals(reporter.get("/api/v1/runs/" + key).json().at("/run/status").asText()), WITHIN,
                            () -> "the monitor's run: " + reporter.get("/api/v1/runs/" + key).body());
                    JsonNode run = reporter.get("/api/v1/runs/" + key).json();
                    JsonNode report = JSON.readTree(Files.readString(Path.of(URI.create(output.path("report").asText()))));
                    assertEquals("count-lines", run.at("/run/network").asText(), run.toString());
                    assertEquals(4, run.at("/run/planned").asInt(), "two jobs and two sink writes: " + run);
                    assertEquals(4, run.at("/run/finished").asInt(), run.toString());
                    Map<String, JsonNode> atMonitor = new java.util.HashMap<>();
                    run.path("nodes").forEach(n -> atMonitor.put(n.path("node").asText(), n));
                    for (JsonNode n : report.path("nodes")) {
                        JsonNode m = atMonitor.get(n.path("node").asText());
                        assertTrue(m != null, "node " + n + " is not at the monitor: " + run.path("nodes"));
                        for (String[] pair : new String[][] {{"succeeded", "done"}, {"cached", "cached"}, {"failed", "failed"}, {"missing", "missing"}}) {
                            assertEquals(n.path(pair[0]).asInt(), m.path(pair[1]).asInt(), pair[0] + " of " + n + " at the monitor: " + m);
                        }
                    }
                    for (JsonNode sink : report.path("sinks")) {
                        JsonNode m = atMonitor.get("sink:" + sink.path("sink").asText());
                        assertTrue(m != null && m.path("done").asInt() == sink.path("written").asInt(), sink + " at the monitor: " + m);
                    }
                    assertEquals(2, report.path("nodes").size(), report.toString());

                    try (Chromium chromium = Chromium.start()) {
                        WebDriver d = chromium.driver();
                        WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(30));
                        String base = gov.governor.baseUri().toString();
                        login(d, base + "/experiments/" + experiment, "vic", "secret-pass");
                        wait.until(x -> !x.findElements(By.cssSelector("#callbacks a.report")).isEmpty());
                        String reportLink = d.findElement(By.cssSelector("#callbacks a.report")).getAttribute("href");
                        String monitorLink = d.findElement(By.cssSelector("#callbacks a.monitor")).getAttribute("href");
                        assertEquals(base + "/callbacks/" + callback.path("id").asLong() + "/report", reportLink);
                        assertEquals(page, monitorLink);

                        d.findElement(By.cssSelector("#callbacks a.report")).click();
                        wait.until(x -> x.getCurrentUrl().equals(reportLink));
                        JsonNode shown = JSON.readTree(d.findElement(By.tagName("body")).getText());
                        assertEquals(report, shown, "the browser shows the run's report.json");

                        d.get(base + "/experiments/" + experiment);
                        wait.until(x -> !x.findElements(By.cssSelector("#callbacks a.monitor")).isEmpty());
                        d.findElement(By.cssSelector("#callbacks a.monitor")).click();
                        // The monitor asks its own viewer to log in, then shows the run.
                        login(d, null, "watcher", "watcher-password");
                        wait.until(x -> x.findElements(By.id("run-status")).stream().anyMatch(e -> e.getText().equals("succeeded")));
                        assertEquals(page, d.getCurrentUrl());
                        wait.until(x -> x.findElements(By.cssSelector("#graph g[data-node='count'] text.counts")).size() == 1);
                        assertEquals("1", d.findElement(By.cssSelector("#graph g[data-node='count'] text.counts")).getAttribute("data-done"));
                        BufferedImage shot = chromium.screenshot(Path.of("target/screenshots/governor-monitor-run.png"));
                        assertTrue(Chromium.distinctColours(shot, 20) >= 5, "the screenshot looks blank");
                    }
                }
            }
        }
    }

    /** Fills the login form the browser was sent to (after opening {@code url} when given). */
    private static void login(WebDriver d, String url, String user, String password) {
        if (url != null) {
            d.get(url);
        }
        new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> !x.findElements(By.id("login")).isEmpty());
        d.findElement(By.id("name")).sendKeys(user);
        d.findElement(By.id("password")).sendKeys(password);
        d.findElement(By.id("login")).click();
        new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> x.findElements(By.id("login")).isEmpty());
    }

    private static void expect(int status, HttpTestClient.Response r) {
        assertEquals(status, r.status(), r.toString());
    }
}
