package org.cohortflow.tasks.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cohortflow.server.testing.Chromium;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.cohortflow.tasks.testing.CallbackReceiver;
import org.cohortflow.tasks.testing.CanvasPixels;
import org.cohortflow.tasks.testing.TasksFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reviewer's page in a real headless Chromium: log in with the service's form, see my queue, open the next
 * task, see the STS CT with its tumour mask as a red overlay (checked on the screenshot's pixels, with the
 * overlay switched off as the control), scroll slices, apply a window/level preset, correct the mask with the
 * brush (the stored corrected mask has more voxels set), have an incomplete form
 * refused before submit, fill it, submit, and receive the callback with the result at a real HTTP endpoint.
 */
class ViewerIT {
    private static final Path SHOTS = Path.of("target", "screenshots");
    @TempDir
    Path data;

    @Test
    void aReviewerLogsInOpensTheNextTaskSeesTheImageWithItsMaskScrollsFillsTheFormAndTheCallbackArrives() throws Exception {
        try (TestDatabase dbs = TestDatabase.h2();
             TasksFixture f = TasksFixture.start(dbs.fresh(), data, Map.of());
             CallbackReceiver receiver = new CallbackReceiver();
             Chromium chromium = Chromium.start()) {
            f.project("sts");
            f.stsTemplate();
            f.reviewer("rita", 1);
            long id = f.createTask(TasksFixture.stsTask("sts", "STS_001", "\"tags\":[\"qc\"],\"callbackUrl\":"
                    + HttpTestClient.quote(receiver.url("/tasks/done")) + ",\"callbackSecret\":\"viewer-secret\""));
            f.createTask(TasksFixture.stsTask("sts", "STS_002", ""));
            WebDriver driver = chromium.driver();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(180));

            driver.get(f.service().baseUri() + "/");
            wait.until(d -> !d.findElements(By.id("name")).isEmpty());
            driver.findElement(By.id("name")).sendKeys("rita");
            driver.findElement(By.id("password")).sendKeys("rita-password");
            driver.findElement(By.id("login")).click();
            wait.until(d -> d.findElement(By.id("queue-view")).isDisplayed());
            assertEquals("rita", driver.findElement(By.id("whoami")).getText());
            wait.until(d -> d.findElements(By.cssSelector("#queue-table tbody tr")).size() == 2);

            long opening = System.nanoTime();
            driver.findElement(By.id("next-task")).click();
            wait.until(d -> d.findElement(By.id("task-view")).isDisplayed());
            wait.until(d -> List.of("true", "error").contains(d.findElement(By.id("viewer-canvas")).getDomAttribute("data-loaded")));
            assertEquals("true", driver.findElement(By.id("viewer-canvas")).getDomAttribute("data-loaded"),
                    driver.findElement(By.id("viewer-status")).getText());
            System.out.printf("ViewerIT: next task opened and its CT + mask drawn in %.1f s%n", (System.nanoTime() - opening) / 1e9);
            assertTrue(driver.findElement(By.id("task-title")).getText().contains("STS_001"));
            assertTrue(driver.findElement(By.id("lock-info")).getText().startsWith("locked by rita"));
            WebElement canvas = driver.findElement(By.id("viewer-canvas"));
            BufferedImage withMask = CanvasPixels.settled(chromium, SHOTS.resolve("viewer-task.png"), canvas,
                    img -> CanvasPixels.count(img, CanvasPixels::isGrey) > 5000 && CanvasPixels.count(img, CanvasPixels::isOverlayRed) > 500);
            assertTrue(Chromium.distinctColours(withMask, 200) >= 50, "the canvas shows an image, not a blank area");
            int grey = CanvasPixels.count(withMask, CanvasPixels::isGrey);
            int red = CanvasPixels.count(withMask, CanvasPixels::isOverlayRed);
            assertTrue(grey > 5000, "grey CT pixels: " + grey);
            assertTrue(red > 500, "red mask pixels: " + red);

            // control: with the overlay's opacity at 0 the red pixels are gone, so they were the mask
            setRange(driver, "overlay-opacity", "0");
            BufferedImage noMask = CanvasPixels.settled(chromium, SHOTS.resolve("viewer-no-overlay.png"), canvas,
                    img -> CanvasPixels.count(img, CanvasPixels::isOverlayRed) < red / 20);
            assertTrue(CanvasPixels.count(noMask, CanvasPixels::isOverlayRed) < red / 20, "red pixels without the overlay: "
                    + CanvasPixels.count(noMask, CanvasPixels::isOverlayRed));
            setRange(driver, "overlay-opacity", "0.5");

            int slice = Integer.parseInt(driver.findElement(By.id("slice-info")).getDomAttribute("data-slice"));
            new Select(driver.findElement(By.id("layout-select"))).selectByValue("axial");
            Thread.sleep(300);
            BufferedImage before = CanvasPixels.crop(chromium.screenshot(SHOTS.resolve("viewer-axial.png")), canvas.getRect());
            for (int i = 0; i < 3; i++) driver.findElement(By.id("slice-next")).click();
            wait.until(d -> Integer.parseInt(d.findElement(By.id("slice-info")).getDomAttribute("data-slice")) == slice + 3);
            BufferedImage after = CanvasPixels.settled(chromium, SHOTS.resolve("viewer-axial-plus3.png"), canvas,
                    img -> CanvasPixels.differingPixels(before, img) > 1000);
            assertTrue(CanvasPixels.differingPixels(before, after) > 1000, "scrolling three slices changes the picture");

            driver.findElement(By.cssSelector("#presets button[data-preset='bone']")).click();
            assertEquals("bone", canvas.getDomAttribute("data-preset"));

            // correct the mask with the brush: a stroke on the left of the axial slice adds voxels
            driver.findElement(By.id("correct-mask")).click();
            wait.until(dr -> "true".equals(dr.findElement(By.id("viewer-canvas")).getDomAttribute("data-drawing")));
            Rectangle box = canvas.getRect();
            new Actions(driver).moveToElement(canvas, -box.getWidth() / 4, -box.getHeight() / 8).clickAndHold()
                    .moveByOffset(box.getWidth() / 16, 0).moveByOffset(0, box.getHeight() / 4)
                    .moveByOffset(box.getWidth() / 16, 0).release().perform();
            Thread.sleep(300);
            chromium.screenshot(SHOTS.resolve("viewer-corrected.png"));

            driver.findElement(By.id("submit-result")).click();
            assertEquals("required", driver.findElement(By.id("error-quality")).getText());
            assertEquals(0, receiver.deliveries().size());

            new Select(driver.findElement(By.id("field-quality"))).selectByValue("acceptable");
            driver.findElement(By.id("field-slices_off")).sendKeys("2");
            driver.findElement(By.cssSelector("#field-artefacts input[value='noise']")).click();
            driver.findElement(By.id("field-comment")).sendKeys("margin slightly wide cranially");
            chromium.screenshot(SHOTS.resolve("viewer-form.png"));
            driver.findElement(By.id("submit-result")).click();
            wait.until(d -> d.findElement(By.id("queue-view")).isDisplayed());
            wait.until(d -> d.findElement(By.id("queue-message")).getText().equals("Task " + id + " submitted."));

            CallbackReceiver.Delivery d = receiver.await(1, Duration.ofSeconds(30)).get(0);
            assertEquals("viewer-secret", d.secret());
            JsonNode body = new ObjectMapper().readTree(d.body());
            assertEquals(id, body.path("task").asLong());
            assertEquals("done", body.path("status").asText());
            assertEquals("rita", body.path("finishedBy").asText());
            JsonNode result = body.path("result");
            assertEquals("acceptable", result.path("quality").asText());
            assertEquals(2, result.path("slices_off").asInt());
            assertEquals("noise", result.path("artefacts").get(0).asText());
            assertEquals("margin slightly wide cranially", result.path("comment").asText());

            String corrected = body.path("files").path("corrected-mask.nii.gz").asText();
            assertTrue(corrected.startsWith(f.service().baseUri() + "/api/v1/tasks/" + id + "/files/"), body.toString());
            java.net.http.HttpResponse<byte[]> file = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(corrected))
                            .header("Authorization", "Bearer " + f.token("root")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, file.statusCode());
            Nifti original = Nifti.read(java.nio.file.Files.readAllBytes(org.cohortflow.tasks.testing.SharedData.stsCtMask()));
            Nifti edited = Nifti.read(file.body());
            assertEquals(List.of(original.dims()), List.of(edited.dims()), "the corrected mask has the image's grid");
            assertTrue(edited.nonZero() > original.nonZero(), "the stroke added voxels: " + original.nonZero()
                    + " -> " + edited.nonZero());
        }
    }

    /** Just enough NIfTI-1 reading to compare masks: the grid and how many voxels are set. */
    private record Nifti(String dims, long nonZero) {
        static Nifti read(byte[] gz) throws java.io.IOException {
            byte[] b = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz)).readAllBytes();
            java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertEquals(348, h.getInt(0), "a NIfTI-1 header");
            int nx = h.getShort(42), ny = h.getShort(44), nz = h.getShort(46);
            int datatype = h.getShort(70);
            int bytesPerVoxel = h.getShort(72) / 8;
            int offset = (int) h.getFloat(108);
            long set = 0;
            for (long i = 0; i < (long) nx * ny * nz; i++) {
                int at = offset + (int) i * bytesPerVoxel;
                boolean nonZero = switch (datatype) {
                    case 2 -> b[at] != 0;
                    case 4 -> h.getShort(at) != 0;
                    case 16 -> h.getFloat(at) != 0f;
                    default -> throw new AssertionError("unexpected NIfTI datatype " + datatype);
                };
                if (nonZero) set++;
            }
            return new Nifti(nx + "x" + ny + "x" + nz, set);
        }
    }

    private static void setRange(WebDriver driver, String id, String value) {
        ((JavascriptExecutor) driver).executeScript("const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                + "e.dispatchEvent(new Event('input'));", id, value);
    }
}
