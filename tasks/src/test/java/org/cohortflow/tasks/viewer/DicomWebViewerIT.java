package org.cohortflow.tasks.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.server.testing.Chromium;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.cohortflow.tasks.testing.CanvasPixels;
import org.cohortflow.tasks.testing.SharedData;
import org.cohortflow.tasks.testing.TasksFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A task whose image is a DICOM series in a real Orthanc (DICOMweb, with authentication): the service reads the
 * series over WADO-RS and serves it as one NIfTI volume whose voxels and geometry equal the shared NIfTI
 * conversion of the same CT (an independent conversion); the reviewer's page in Chromium shows it with the
 * NIfTI mask as a red overlay (screenshot pixels, with the overlay off as the control). An archive the service
 * has no credentials for answers with the reason.
 */
class DicomWebViewerIT {
    private static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dir;

    @Test
    void aTaskShowsADicomSeriesFromADicomWebArchiveWithItsMaskAsAnOverlay() throws Exception {
        OrthancServer.requireInstalled();
        try (OrthancServer orthanc = OrthancServer.start(dir.resolve("orthanc"));
             TestDatabase dbs = TestDatabase.h2()) {
            assertEquals(59, orthanc.upload(SharedData.require("sts-cohort/dicom/STS_001/CT/image")));
            JsonNode series = new ObjectMapper().readTree(orthanc.get("/dicom-web/series")).get(0);
            String study = series.at("/0020000D/Value/0").asText();
            String seriesUid = series.at("/0020000E/Value/0").asText();
            String ct = orthanc.dicomWebUri() + "/studies/" + study + "/series/" + seriesUid;
            Map<String, Object> login = Map.of("url", orthanc.dicomWebRoot().toString(), "user", OrthancServer.USER,
                    "password", OrthancServer.PASSWORD);
            try (TasksFixture f = TasksFixture.start(dbs.fresh(), Files.createDirectories(dir.resolve("data")),
                    Map.of("dicomWeb", List.of(login)))) {
                f.project("sts");
                f.stsTemplate();
                f.reviewer("rita", 1);
                long id = f.createTask("{\"project\":\"sts\",\"template\":\"sts-ct-qc\",\"content\":{\"subject\":\"STS_001\","
                        + "\"experiment\":\"CT\",\"images\":{\"ct\":" + HttpTestClient.quote(ct) + ",\"mask\":"
                        + HttpTestClient.quote(SharedData.stsCtMask().toString()) + "}}}");

                // The served volume equals the shared NIfTI of the same CT, voxel for voxel and in its geometry.
                JsonNode task = f.admin().get("/api/v1/tasks/" + id).json();
                String imageUrl = task.toString().replaceAll(".*\"(/api/v1/tasks/" + id + "/images/ct/[^\"]+)\".*", "$1");
                assertTrue(imageUrl.endsWith(".nii"), "the viewer gets a NIfTI name: " + task);
                java.net.http.HttpResponse<byte[]> served = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(f.service().baseUri().resolve(imageUrl))
                                .header("Authorization", "Bearer " + f.token("root")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, served.statusCode(), new String(served.body()));
                Volume ours = Volume.read(served.body());
                Volume reference = Volume.read(new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(SharedData.stsCt()))).readAllBytes());
                assertEquals(reference.dims(), ours.dims());
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 4; c++) {
                        assertEquals(reference.affine()[r][c], ours.affine()[r][c], 1e-3, "affine[" + r + "][" + c + "]");
                    }
                }
                assertEquals(reference.values().length, ours.values().length);
                for (int i = 0; i < ours.values().length; i++) {
                    if (Math.abs(reference.values()[i] - ours.values()[i]) > 1e-3) {
                        throw new AssertionError("voxel " + i + ": " + ours.values()[i] + ", the reference has " + reference.values()[i]);
                    }
                }

                // An archive the service has no credentials for (another host name for it): a 502 with the reason.
                long other = f.createTask("{\"project\":\"sts\",\"template\":\"sts-ct-qc\",\"content\":{\"subject\":\"STS_001\","
                        + "\"images\":{\"ct\":" + HttpTestClient.quote(ct.replace("dicomweb://127.0.0.1", "http://localhost")) + ",\"mask\":"
                        + HttpTestClient.quote(SharedData.stsCtMask().toString()) + "}}}");
                HttpTestClient.Response refused = f.admin().get("/api/v1/tasks/" + other + "/images/ct/series.nii");
                assertEquals(502, refused.status(), refused.toString());
                assertTrue(refused.body().contains("401") && refused.body().contains("settings.dicomWeb"), refused.body());
                f.admin().post("/api/v1/tasks/" + other + "/fail", "{\"reason\":\"no credentials for this archive\"}");

                try (Chromium chromium = Chromium.start()) {
                    WebDriver driver = chromium.driver();
                    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(180));
                    driver.get(f.service().baseUri() + "/");
                    wait.until(d -> !d.findElements(By.id("name")).isEmpty());
                    driver.findElement(By.id("name")).sendKeys("rita");
                    driver.findElement(By.id("password")).sendKeys("rita-password");
                    driver.findElement(By.id("login")).click();
                    wait.until(d -> d.findElement(By.id("queue-view")).isDisplayed());
                    driver.findElement(By.id("next-task")).click();
                    wait.until(d -> d.findElement(By.id("task-view")).isDisplayed());
                    wait.until(d -> List.of("true", "error").contains(d.findElement(By.id("viewer-canvas")).getDomAttribute("data-loaded")));
                    assertEquals("true", driver.findElement(By.id("viewer-canvas")).getDomAttribute("data-loaded"),
                            driver.findElement(By.id("viewer-status")).getText());
                    assertTrue(driver.findElement(By.id("task-title")).getText().contains("STS_001"));
                    WebElement canvas = driver.findElement(By.id("viewer-canvas"));
                    BufferedImage withMask = CanvasPixels.settled(chromium, SHOTS.resolve("viewer-dicomweb.png"), canvas,
                            img -> CanvasPixels.count(img, CanvasPixels::isGrey) > 5000 && CanvasPixels.count(img, CanvasPixels::isOverlayRed) > 500);
                    assertTrue(Chromium.distinctColours(withMask, 200) >= 50, "the canvas shows an image, not a blank area");
                    int grey = CanvasPixels.count(withMask, CanvasPixels::isGrey);
                    int red = CanvasPixels.count(withMask, CanvasPixels::isOverlayRed);
                    assertTrue(grey > 5000, "grey CT pixels: " + grey);
                    assertTrue(red > 500, "red mask pixels over the DICOMweb CT: " + red);
                    ((JavascriptExecutor) driver).executeScript("const e = document.getElementById('overlay-opacity'); e.value = '0';"
                            + "e.dispatchEvent(new Event('input'));");
                    BufferedImage noMask = CanvasPixels.settled(chromium, SHOTS.resolve("viewer-dicomweb-no-overlay.png"), canvas,
                            img -> CanvasPixels.count(img, CanvasPixels::isOverlayRed) < red / 20);
                    int redWithout = CanvasPixels.count(noMask, CanvasPixels::isOverlayRed);
                    assertTrue(redWithout < red / 20, "red pixels without the overlay: " + redWithout + " (with: " + red + ")");
                    assertTrue(CanvasPixels.count(noMask, CanvasPixels::isGrey) > 5000, "the CT stays without the overlay");
                }
            }
        }
    }

    /** A NIfTI-1 volume read independently of the service's writer: grid, voxel-to-RAS affine, scaled values. */
    private record Volume(List<Integer> dims, double[][] affine, float[] values) {
        static Volume read(byte[] b) {
            ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(348, h.getInt(0), "a NIfTI-1 header");
            int nx = h.getShort(42), ny = h.getShort(44), nz = h.getShort(46);
            int datatype = h.getShort(70);
            int offset = (int) h.getFloat(108);
            float slope = h.getFloat(112), inter = h.getFloat(116);
            if (slope == 0 || Float.isNaN(slope)) {
                slope = 1;
                inter = 0;
            }
            float[] v = new float[nx * ny * nz];
            for (int i = 0; i < v.length; i++) {
                double raw = switch (datatype) {
                    case 2 -> b[offset + i] & 0xff;
                    case 4 -> h.getShort(offset + 2 * i);
                    case 512 -> h.getShort(offset + 2 * i) & 0xffff;
                    case 16 -> h.getFloat(offset + 4 * i);
                    default -> throw new AssertionError("unexpected NIfTI datatype " + datatype);
                };
                v[i] = (float) (raw * slope + inter);
            }
            return new Volume(List.of(nx, ny, nz), h.getShort(254) > 0 ? sform(h) : qform(h), v);
        }

        private static double[][] sform(ByteBuffer h) {
            double[][] m = new double[3][4];
            for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) m[r][c] = h.getFloat(280 + 16 * r + 4 * c);
            return m;
        }

        /** The NIfTI-1 quaternion method (nifti1.h, method 2). */
        private static double[][] qform(ByteBuffer h) {
            double b = h.getFloat(256), c = h.getFloat(260), d = h.getFloat(264);
            double a = Math.sqrt(Math.max(0, 1 - b * b - c * c - d * d));
            double qfac = h.getFloat(76) < 0 ? -1 : 1;
            double dx = h.getFloat(80), dy = h.getFloat(84), dz = h.getFloat(88) * qfac;
            double[][] r = {
                    {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
                    {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
                    {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}};
            double[] o = {h.getFloat(268), h.getFloat(272), h.getFloat(276)};
            double[][] m = new double[3][4];
            for (int i = 0; i < 3; i++) {
                m[i][0] = r[i][0] * dx;
                m[i][1] = r[i][1] * dy;
                m[i][2] = r[i][2] * dz;
                m[i][3] = o[i];
            }
            return m;
        }
    }
}
