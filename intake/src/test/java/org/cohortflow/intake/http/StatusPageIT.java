package org.cohortflow.intake.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.intake.IntakeService;
import org.cohortflow.intake.queue.ObjectState;
import org.cohortflow.intake.testing.IntakeFixture;
import org.cohortflow.intake.testing.IntakeTestData;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The intake's status page in a real Chromium: counts per state and the quarantine with its reasons. */
class StatusPageIT {

    @Test
    void anAdminLogsInAndSeesTheCountsAndTheQuarantinedObjectWithItsReason(@TempDir Path tmp) throws Exception {
        List<Path> ct = IntakeTestData.files(ArchiveTestData.ctPhantomDicom().resolve("image"));
        Path profile = IntakeTestData.profile(tmp, "accept: {callingAets: [SITE1]}");
        int dicomPort = OrthancServer.freePort();
        try (IntakeService.Running intake = new IntakeService().start(IntakeFixture.config(tmp.resolve("intake"), profile,
                dicomPort, null, DatabaseSettings.h2File(tmp.resolve("intake"))));
             Chromium chromium = Chromium.start()) {
            IntakeFixture.storescu("SITE1", dicomPort, ct.subList(0, 3));
            IntakeFixture.storescu("ELSEWHERE", dicomPort, ct.subList(3, 4));
            IntakeFixture.await("three forwarded, one quarantined", 120,
                    () -> intake.count(ObjectState.FORWARDED) == 3 && intake.count(ObjectState.QUARANTINED) == 1);

            var driver = chromium.driver();
            driver.get(intake.baseUri() + "/");
            driver.findElement(By.id("name")).sendKeys("admin");
            driver.findElement(By.id("password")).sendKeys(IntakeFixture.ADMIN_PASSWORD);
            driver.findElement(By.id("login")).click();
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("counts")).isEmpty());
            assertEquals("3", driver.findElement(By.cssSelector("td[data-state=FORWARDED]")).getText());
            assertEquals("1", driver.findElement(By.cssSelector("td[data-state=QUARANTINED]")).getText());
            String quarantine = driver.findElement(By.id("quarantine")).getText();
            assertTrue(quarantine.contains("SENDER") && quarantine.contains("ELSEWHERE"), quarantine);
            BufferedImage shot = chromium.screenshot(Path.of("target/screenshots/intake-status.png"));
            assertTrue(Chromium.distinctColours(shot, 10) > 1, "the screenshot is blank");
        }
    }
}
