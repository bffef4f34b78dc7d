package org.cohortflow.governance.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cohortflow.governance.GovernorFixture;
import org.cohortflow.governance.Receiver;
import org.cohortflow.server.testing.Chromium;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The governor's pages in a real Chromium: a manager logs in, sees the study's experiments counted per
 * state, opens one experiment's history and moves it with the manual transition button; a viewer sees no
 * button.
 */
class GovernorPageIT {

    private static void login(WebDriver d, String base, String user, String password) {
        d.get(base + "/");
        d.findElement(By.id("name")).sendKeys(user);
        d.findElement(By.id("password")).sendKeys(password);
        d.findElement(By.id("login")).click();
        new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> !x.findElements(By.cssSelector("a.study")).isEmpty());
    }

    @Test
    void a_manager_sees_the_experiments_per_state_opens_one_and_moves_it_by_hand() throws Exception {
        try (TestDatabase dbs = TestDatabase.h2(); Receiver receiver = new Receiver();
             GovernorFixture gov = new GovernorFixture(dbs.fresh(), Files.createTempDirectory("governor-page-"))) {
            gov.studyWithWorkflow("lung-ct", """
                    workflow: triage
                    initial: received
                    states:
                      received:
                        callbacks: [{name: score, type: http, args: {url: "R/score"}}]
                        transitions:
                          - {to: accepted, condition: "callbacks.score.output.score >= 5"}
                          - {to: review}
                      review:
                        transitions: [{to: accepted, manual: true}, {to: rejected, manual: true}]
                      accepted: {final: true}
                      rejected: {final: true}
                    """.replace("R/", receiver.url("/")));
            long high = gov.experiment("lung-ct", "p1", "v7");
            long low = gov.experiment("lung-ct", "p2", "v2");
            long other = gov.experiment("lung-ct", "p3", "v3");
            gov.awaitState(high, "accepted", Duration.ofSeconds(10));
            gov.awaitState(low, "review", Duration.ofSeconds(10));
            gov.awaitState(other, "review", Duration.ofSeconds(10));
            String base = gov.governor.baseUri().toString();
            try (Chromium chromium = Chromium.start()) {
                WebDriver d = chromium.driver();
                login(d, base, "mona", "secret-pass");
                assertEquals("2", d.findElement(By.cssSelector("td.count[data-state=review]")).getText());
                assertEquals("1", d.findElement(By.cssSelector("td.count[data-state=accepted]")).getText());
                d.findElement(By.linkText("review")).click();
                List<WebElement> rows = d.findElements(By.cssSelector("a.experiment"));
                assertEquals(List.of("v2", "v3"), rows.stream().map(WebElement::getText).toList());
                rows.get(0).click();
                assertEquals("review", d.findElement(By.id("state")).getText());
                String callbacks = d.findElement(By.id("callbacks")).getText();
                assertTrue(callbacks.contains("score") && callbacks.contains("success"), callbacks);
                new Select(d.findElement(By.id("to"))).selectByValue("rejected");
                d.findElement(By.id("reason")).sendKeys("motion artefacts");
                d.findElement(By.id("move")).click();
                // The move reloads the page: an element found before the reload goes stale while the wait polls.
                new WebDriverWait(d, Duration.ofSeconds(30)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                        .until(x -> x.findElement(By.id("state")).getText().equals("rejected"));
                String history = d.findElement(By.id("actions")).getText();
                assertTrue(history.contains("review rejected manual mona motion artefacts"), history);
                BufferedImage shot = chromium.screenshot(Path.of("target/screenshots/governor-experiment.png"));
                assertTrue(Chromium.distinctColours(shot, 20) >= 5, "the screenshot looks blank");
                WebElement table = d.findElement(By.id("actions"));
                assertTrue(table.isDisplayed() && table.getSize().getHeight() > 40, "history table not shown");
                assertEquals("rejected", gov.state(low), "the page's transition is in the database");
                // A viewer sees the history but no transition form.
                d.findElement(By.id("logout")).click();
                login(d, base, "vic", "secret-pass");
                d.get(base + "/experiments/" + other);
                assertEquals("review", d.findElement(By.id("state")).getText());
                assertTrue(d.findElements(By.id("move")).isEmpty(), "a viewer must not get the transition button");
                chromium.screenshot(Path.of("target/screenshots/governor-viewer.png"));
            }
        }
    }
}
