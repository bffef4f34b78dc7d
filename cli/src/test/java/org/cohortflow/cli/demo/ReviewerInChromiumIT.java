package org.cohortflow.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cohortflow.server.testing.Chromium;
import org.cohortflow.tasks.testing.CanvasPixels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The mission with a person in the loop (issue 19's last test): {@code cohortflow demo} runs without
 * {@code --review auto} in a JVM of its own, and a reviewer in a real headless Chromium reads the URL and login it
 * prints, logs in to the task service's page and works the queue there only: every scan QC is passed, every mask
 * is accepted in the viewer but one, which is sent back for re-segmentation, and that subject's re-segmentation
 * task is answered {@code exclude}. The viewer's screenshots are checked for the CT (grey) and the mask overlay
 * (red). The outcome is read from the governor's and the task service's REST APIs and the exported cohort table:
 * the rejected subject went {@code mask_review -> resegmentation -> excluded}, the others are {@code done}, the
 * table lists all of them, and the audit logs name the reviewer as the one who rejected the mask.
 *
 * <p>The re-segmentation is answered {@code exclude}, not {@code rerun}: the demo's synthetic scanner has no
 * corrected RTSTRUCT to send, so a rerun would compute the same mask again and ask for the same review. The path
 * with a corrected RTSTRUCT sent through the intake is {@code StudyWorkflowIT}'s.
 */
class ReviewerInChromiumIT {
    private static final int SUBJECTS = 3;
    /** How long the whole flow may take on a loaded 2-core machine (it takes about a minute on a quiet one). */
    private static final Duration FLOW = Duration.ofMinutes(12);
    private static final Path SHOTS = Path.of("target", "screenshots", "reviewer-in-chromium");
    private static final Pattern LINE = Pattern.compile("^\\[\\s*[0-9.]+ s\\] (.*)$");
    private static final Pattern ADMIN = Pattern.compile("^services \\(user admin, password (\\S+) on each\\):$");
    private static final Pattern SERVICE = Pattern.compile("^\\s+(intake|governor|tasks|monitor)\\s+(http\\S+)\\s+data .*$");
    private static final Pattern REVIEWER = Pattern.compile("^\\s+reviewer at the task service: user '([^']+)', password (\\S+)$");
    private static final Pattern EXPORT = Pattern.compile("^\\s+cohort table \\(export\\) (\\S+)$");

    @Test
    void aReviewerInChromiumRejectsOneMaskAndThatSubjectGoesThroughResegmentationWhileTheOthersEndDone(@TempDir Path work)
            throws Exception {
        Files.createDirectories(work);
        deleteRecursively(SHOTS);
        Path log = work.resolve("demo.log");
        Process demo = new ProcessBuilder(DemoRun.command(work, "--subjects", String.valueOf(SUBJECTS)))
                .directory(DemoRun.checkout().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (Chromium chromium = Chromium.start()) {
            Printed printed = awaitPrinted(demo, log);
            RestClient governor = RestClient.withPassword(printed.url("governor"), "admin", printed.adminPassword());
            RestClient tasksAdmin = RestClient.withPassword(printed.url("tasks"), "admin", printed.adminPassword());
            Person person = new Person(chromium, printed, demo, log);
            person.logIn();
            person.workTheQueueUntilSettled(governor);

            Answered rejection = person.rejection();
            assertTrue(rejection != null, "a mask was rejected: " + person.answered);
            Map<String, JsonNode> experiments = new TreeMap<>();
            for (JsonNode e : items(governor.get("/api/v1/experiments?study=" + DemoServices.STUDY))) {
                experiments.put(e.path("subject").asText(), e);
            }
            assertEquals(SUBJECTS, experiments.size(), experiments.toString());
            assertEquals(Set.of("study-scan-qc", "study-mask-review", "study-resegment"),
                    Set.copyOf(person.answered.stream().map(Answered::template).toList()), person.answered.toString());
            assertEquals(2 * SUBJECTS + 1, person.answered.size(), "a QC and a mask review per subject, one re-segmentation: "
                    + person.answered);

            // the rejected subject: through 'resegmentation' to where the reviewer's decision leads
            JsonNode rejected = experiments.get(rejection.subject());
            assertEquals("excluded", rejected.path("state").asText(), rejected.toString());
            List<String> path = new ArrayList<>();
            for (JsonNode a : governor.get("/api/v1/experiments/" + rejected.path("id").asLong() + "/actions")) {
                path.add(a.path("to").asText());
            }
            int review = path.indexOf("mask_review");
            assertTrue(review >= 0 && path.subList(review, path.size()).equals(List.of("mask_review", "resegmentation", "excluded")),
                    "the rejected subject's states: " + path);
            Map<String, JsonNode> callbacks = new LinkedHashMap<>();
            for (JsonNode c : governor.get("/api/v1/experiments/" + rejected.path("id").asLong() + "/callbacks")) {
                callbacks.put(c.path("name").asText(), c);
            }
            JsonNode verdict = output(callbacks.get("review"));
            assertEquals("resegment", verdict.path("verdict").asText(), callbacks.toString());
            assertEquals(printed.reviewer(), verdict.path("finishedBy").asText(), callbacks.toString());
            assertEquals(rejection.task(), verdict.path("task").asLong(), callbacks.toString());
            JsonNode decision = output(callbacks.get("resegment"));
            assertEquals("exclude", decision.path("decision").asText(), callbacks.toString());
            assertEquals(printed.reviewer(), decision.path("finishedBy").asText(), callbacks.toString());

            // the others: done, and never re-segmented
            for (Map.Entry<String, JsonNode> e : experiments.entrySet()) {
                if (e.getKey().equals(rejection.subject())) {
                    continue;
                }
                assertEquals("done", e.getValue().path("state").asText(), e.toString());
                String others = governor.get("/api/v1/experiments/" + e.getValue().path("id").asLong() + "/actions").toString();
                assertTrue(!others.contains("\"resegmentation\""), e.getKey() + ": " + others);
            }

            // the export lists every subject with the state it ended in
            Map<String, String> expected = new TreeMap<>();
            experiments.forEach((subject, e) -> expected.put(subject, subject.equals(rejection.subject()) ? "excluded" : "done"));
            assertEquals(expected, awaitExport(printed.export(), expected, demo, log));

            // the audit logs: at the task service the reviewer submitted the rejection; the task says what it was
            JsonNode task = tasksAdmin.get("/api/v1/tasks/" + rejection.task());
            assertEquals("resegment", task.at("/result/verdict").asText(), task.toString());
            assertEquals(printed.reviewer(), task.path("finishedBy").asText(), task.toString());
            boolean submittedByReviewer = false;
            for (JsonNode entry : tasksAdmin.get("/api/v1/audit?target=task/" + rejection.task())) {
                submittedByReviewer |= entry.path("action").asText().equals("task.submit")
                        && entry.path("actor").asText().equals(printed.reviewer());
            }
            assertTrue(submittedByReviewer, "the task service's audit log names the reviewer as the one who submitted the rejection: "
                    + tasksAdmin.get("/api/v1/audit?target=task/" + rejection.task()));
            // ... and at the governor the answer of that task, with the reviewer's name, moved the experiment on
            JsonNode audit = governor.get("/api/v1/audit?target=experiment/" + rejected.path("id").asLong() + "&limit=1000");
            boolean answerByReviewer = false;
            boolean transition = false;
            for (JsonNode entry : audit) {
                String details = entry.path("details").asText();
                answerByReviewer |= entry.path("action").asText().equals("callback.finish") && details.startsWith("review succeeded")
                        && details.contains("task " + rejection.task() + " ") && details.contains("by " + printed.reviewer());
                transition |= entry.path("action").asText().equals("experiment.transition")
                        && details.startsWith("mask_review -> resegmentation");
            }
            assertTrue(answerByReviewer && transition, "the governor's audit log: the reviewer's answer and the transition: " + audit);
        } finally {
            stop(demo);
        }
    }

    /** A task the person answered in the page. */
    private record Answered(long task, String template, String subject, String answer) {}

    /**
     * The person at the browser: logs in with what the demo printed, then works the queue in the page (open a
     * task from the queue table, look at the images, fill the form, submit) until the governor reports every
     * subject in a final state.
     */
    private static final class Person {
        private final Chromium chromium;
        private final WebDriver driver;
        private final WebDriverWait wait;
        private final Printed printed;
        private final Process demo;
        private final Path log;
        private final List<Answered> answered = new ArrayList<>();

        Person(Chromium chromium, Printed printed, Process demo, Path log) {
            this.chromium = chromium;
            this.driver = chromium.driver();
            // generous: a 2-core machine under load draws a WebGL frame in software
            this.wait = new WebDriverWait(driver, Duration.ofMinutes(3));
            this.printed = printed;
            this.demo = demo;
            this.log = log;
        }

        void logIn() {
            driver.get(printed.url("tasks").resolve("/").toString());
            wait.until(d -> !d.findElements(By.id("name")).isEmpty());
            driver.findElement(By.id("name")).sendKeys(printed.reviewer());
            driver.findElement(By.id("password")).sendKeys(printed.reviewerPassword());
            driver.findElement(By.id("login")).click();
            wait.until(d -> d.findElement(By.id("queue-view")).isDisplayed());
            assertEquals(printed.reviewer(), driver.findElement(By.id("whoami")).getText());
        }

        /** The mask review answered 'resegment', or null. */
        Answered rejection() {
            return answered.stream().filter(a -> a.answer().equals("resegment")).findFirst().orElse(null);
        }

        void workTheQueueUntilSettled(RestClient governor) throws Exception {
            long end = System.nanoTime() + FLOW.toNanos();
            while (!settled(governor)) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("the flow did not settle within " + FLOW + "; answered " + answered + "; the demo printed:\n"
                            + DemoRun.text(log));
                }
                if (!demo.isAlive()) {
                    throw new AssertionError("the demo ended while serving: " + DemoRun.text(log));
                }
                List<WebElement> rows = driver.findElements(By.cssSelector("#queue-table tbody tr"));
                if (rows.isEmpty()) {
                    // nothing for me yet: look again in a moment, as a person reloads the page
                    Thread.sleep(1500);
                    driver.navigate().refresh();
                    wait.until(d -> d.findElement(By.id("queue-view")).isDisplayed());
                    continue;
                }
                WebElement row = rows.get(0);
                List<WebElement> cells = row.findElements(By.tagName("td"));
                long id = Long.parseLong(cells.get(0).getText());
                String template = cells.get(2).getText();
                String subject = cells.get(3).getText();
                row.click();
                wait.until(d -> d.findElement(By.id("task-view")).isDisplayed()
                        && d.findElement(By.id("task-title")).getText().startsWith("Task " + id + ":"));
                assertTrue(driver.findElement(By.id("task-title")).getText().contains(subject), "the page names the subject");
                wait.until(d -> List.of("true", "error").contains(d.findElement(By.id("viewer-canvas")).getDomAttribute("data-loaded")));
                assertEquals("true", driver.findElement(By.id("viewer-canvas")).getDomAttribute("data-loaded"),
                        "the viewer loaded the images of task " + id + ": " + driver.findElement(By.id("viewer-status")).getText());
                String answer = switch (template) {
                    case "study-scan-qc" -> {
                        lookAtTheCt(id, template, subject);
                        select("quality", "usable");
                        yield "usable";
                    }
                    case "study-mask-review" -> {
                        lookAtTheCtWithItsMask(id, template, subject);
                        if (rejection() == null) {
                            overlayIsTheMask(id, subject);
                            select("verdict", "resegment");
                            driver.findElement(By.id("field-slices_off")).sendKeys("4");
                            driver.findElement(By.id("field-note")).sendKeys("the contour misses the lesion's upper slices");
                            yield "resegment";
                        }
                        select("verdict", "accept");
                        yield "accept";
                    }
                    case "study-resegment" -> {
                        assertTrue(rejection() != null && rejection().subject().equals(subject),
                                "a re-segmentation task only for the rejected subject: " + subject + ", answered " + answered);
                        lookAtTheCtWithItsMask(id, template, subject);
                        select("decision", "exclude");
                        select("cause", "segmentation");
                        driver.findElement(By.id("field-note")).sendKeys("no corrected contour available");
                        yield "exclude";
                    }
                    default -> throw new AssertionError("a task the example study does not make: " + template + " (task " + id + ")");
                };
                chromium.screenshot(SHOTS.resolve(id + "-" + template + "-form.png"));
                driver.findElement(By.id("submit-result")).click();
                wait.until(d -> d.findElement(By.id("queue-view")).isDisplayed() || !d.findElement(By.id("form-error")).getText().isEmpty());
                assertEquals("", driver.findElement(By.id("form-error")).getText(), "the page took the answer of task " + id);
                wait.until(d -> d.findElement(By.id("queue-message")).getText().equals("Task " + id + " submitted."));
                answered.add(new Answered(id, template, subject, answer));
            }
        }

        /** The QC: the CT is drawn (grey pixels, not a blank canvas). */
        private void lookAtTheCt(long id, String template, String subject) throws InterruptedException {
            BufferedImage img = canvas(id, template, subject, i -> CanvasPixels.count(i, CanvasPixels::isGrey) > 2000);
            assertTrue(Chromium.distinctColours(img, 200) >= 50, "the canvas shows an image, not a blank area (task " + id + ")");
            assertTrue(CanvasPixels.count(img, CanvasPixels::isGrey) > 2000, "grey CT pixels of task " + id + ": "
                    + CanvasPixels.count(img, CanvasPixels::isGrey));
        }

        /** The mask review and the re-segmentation: the CT (grey) with the mask as a red overlay. */
        private void lookAtTheCtWithItsMask(long id, String template, String subject) throws InterruptedException {
            BufferedImage img = canvas(id, template, subject, i -> CanvasPixels.count(i, CanvasPixels::isGrey) > 2000
                    && CanvasPixels.count(i, CanvasPixels::isOverlayRed) > 100 && redColumnGroups(i) == 3);
            assertTrue(Chromium.distinctColours(img, 200) >= 50, "the canvas shows an image, not a blank area (task " + id + ")");
            int grey = CanvasPixels.count(img, CanvasPixels::isGrey);
            int red = CanvasPixels.count(img, CanvasPixels::isOverlayRed);
            assertTrue(grey > 2000 && red > 100, "task " + id + " shows the CT (grey pixels: " + grey + ") and the mask (red pixels: "
                    + red + ")");
            // the viewer opens on the middle of the mask, so each of the three views (side by side) cuts through it
            assertEquals(3, redColumnGroups(img), "the mask in each of the axial, coronal and sagittal views of task " + id);
        }

        /** Groups of canvas columns holding red (overlay) pixels, apart by more than a few columns. */
        private static int redColumnGroups(BufferedImage img) {
            int groups = 0;
            int gap = Integer.MAX_VALUE;
            for (int x = 0; x < img.getWidth(); x++) {
                int red = 0;
                for (int y = 0; y < img.getHeight(); y++) {
                    int rgb = img.getRGB(x, y);
                    red += CanvasPixels.isOverlayRed((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255) ? 1 : 0;
                }
                if (red >= 3) {
                    groups += gap > 8 ? 1 : 0;
                    gap = 0;
                } else if (gap < Integer.MAX_VALUE) {
                    gap++;
                }
            }
            return groups;
        }

        /** The control before rejecting: with the overlay's opacity at 0 the red is gone, so the red was the mask. */
        private void overlayIsTheMask(long id, String subject) throws InterruptedException {
            WebElement canvas = driver.findElement(By.id("viewer-canvas"));
            int red = CanvasPixels.count(CanvasPixels.crop(chromium.screenshot(SHOTS.resolve(id + "-before-control.png")),
                    canvas.getRect()), CanvasPixels::isOverlayRed);
            setRange("overlay-opacity", "0");
            BufferedImage without = CanvasPixels.settled(chromium, SHOTS.resolve(id + "-" + subject + "-no-overlay.png"), canvas,
                    i -> CanvasPixels.count(i, CanvasPixels::isOverlayRed) < red / 20);
            assertTrue(CanvasPixels.count(without, CanvasPixels::isOverlayRed) < red / 20, "red pixels without the overlay: "
                    + CanvasPixels.count(without, CanvasPixels::isOverlayRed) + " of " + red);
            setRange("overlay-opacity", "0.5");
            CanvasPixels.settled(chromium, SHOTS.resolve(id + "-" + subject + "-overlay-again.png"), canvas,
                    i -> CanvasPixels.count(i, CanvasPixels::isOverlayRed) > red / 2);
        }

        private BufferedImage canvas(long id, String template, String subject, Predicate<BufferedImage> drawn)
                throws InterruptedException {
            return CanvasPixels.settled(chromium, SHOTS.resolve(id + "-" + template + "-" + subject + ".png"),
                    driver.findElement(By.id("viewer-canvas")), drawn);
        }

        private void select(String field, String value) {
            new Select(driver.findElement(By.id("field-" + field))).selectByValue(value);
        }

        private void setRange(String id, String value) {
            ((JavascriptExecutor) driver).executeScript("const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                    + "e.dispatchEvent(new Event('input'));", id, value);
        }

        private boolean settled(RestClient governor) {
            try {
                JsonNode list = items(governor.get("/api/v1/experiments?study=" + DemoServices.STUDY));
                int finished = 0;
                for (JsonNode e : list) {
                    finished += Set.of("done", "excluded").contains(e.path("state").asText()) ? 1 : 0;
                    if (Set.of("on_hold", "incomplete", "unreadable").contains(e.path("state").asText())) {
                        throw new AssertionError("an experiment stopped where no task leads on: " + e + "; the demo printed:\n"
                                + DemoRun.text(log));
                    }
                }
                return list.size() >= SUBJECTS && finished == list.size();
            } catch (java.io.UncheckedIOException busy) {
                return false;
            }
        }
    }

    /** What the demo printed for a person: the services' URLs, the admin's and the reviewer's login, the cohort table. */
    private record Printed(Map<String, URI> urls, String adminPassword, String reviewer, String reviewerPassword, Path export) {
        URI url(String service) {
            URI u = urls.get(service);
            if (u == null) {
                throw new AssertionError("the demo printed no URL of the " + service + ": " + urls);
            }
            return u;
        }

        /** Reads the demo's console; null until it has printed all of it. */
        static Printed parse(List<String> console) {
            Map<String, URI> urls = new LinkedHashMap<>();
            String admin = null, reviewer = null, reviewerPassword = null;
            Path export = null;
            for (String raw : console) {
                Matcher line = LINE.matcher(raw);
                if (!line.matches()) {
                    continue;
                }
                String text = line.group(1);
                Matcher m;
                if ((m = ADMIN.matcher(text)).matches()) {
                    admin = m.group(1);
                } else if ((m = SERVICE.matcher(text)).matches()) {
                    urls.put(m.group(1), URI.create(m.group(2)));
                } else if ((m = REVIEWER.matcher(text)).matches()) {
                    reviewer = m.group(1);
                    reviewerPassword = m.group(2);
                } else if ((m = EXPORT.matcher(text)).matches()) {
                    export = Path.of(m.group(1));
                }
            }
            return admin == null || reviewer == null || export == null || urls.size() < 4 ? null
                    : new Printed(Map.copyOf(urls), admin, reviewer, reviewerPassword, export);
        }
    }

    /** Waits for the demo to print where its services are and who reviews. */
    private static Printed awaitPrinted(Process demo, Path log) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < end) {
            if (Files.isRegularFile(log)) {
                // whole lines only: the demo may be half-way through writing the last one (a password cut short); bytes as
                // Latin-1, which never fails to decode
                String console = Files.readString(log, StandardCharsets.ISO_8859_1);
                Printed p = Printed.parse(List.of(console.substring(0, console.lastIndexOf('\n') + 1).split("\n")));
                if (p != null) {
                    return p;
                }
            }
            if (!demo.isAlive()) {
                throw new AssertionError("the demo ended before printing its URLs: " + DemoRun.text(log));
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the demo printed no URLs and logins within 10 minutes: " + DemoRun.text(log));
    }

    /** Waits for the cohort table to list the expected subjects and states; returns what it lists last. */
    private static Map<String, String> awaitExport(Path table, Map<String, String> expected, Process demo, Path log)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        Map<String, String> states = Map.of();
        while (System.nanoTime() < end) {
            if (Files.isRegularFile(table)) {
                try {
                    states = DemoRun.states(table);
                } catch (IOException | RuntimeException beingWritten) {
                    states = Map.of();
                }
                if (states.equals(expected)) {
                    return states;
                }
            }
            if (!demo.isAlive()) {
                throw new AssertionError("the demo ended before the export: " + DemoRun.text(log));
            }
            Thread.sleep(250);
        }
        return states;
    }

    /** A callback execution's output (the governor answers it as JSON text). */
    private static JsonNode output(JsonNode callback) throws IOException {
        assertTrue(callback != null, "no such callback");
        JsonNode out = callback.path("output");
        return out.isTextual() ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.asText()) : out;
    }

    /** Screenshots of an earlier run would be mistaken for this one's. */
    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            try (var files = Files.walk(folder)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static JsonNode items(JsonNode list) {
        return list.isArray() ? list : list.path("items");
    }

    /** Stops the demo as Ctrl-C does (its shutdown hook closes the services), forcibly if it does not end. */
    private static void stop(Process demo) throws InterruptedException {
        demo.destroy();
        if (!demo.waitFor(2, TimeUnit.MINUTES)) {
            demo.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
