package org.cohortflow.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.cohortflow.server.ServiceKit;
import org.cohortflow.server.auth.PasswordHasher;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.testing.Chromium;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The kit's login form and a guarded page, in a real Chromium. */
class LoginPageIT {
    @TempDir
    Path data;

    @Test
    void a_user_logs_in_with_the_form_and_sees_the_guarded_page() {
        try (TestDatabase dbs = TestDatabase.h2()) {
            ServiceConfig config = new ServiceConfig("logintest", "127.0.0.1", 0, data, dbs.fresh(),
                    new BootstrapAdmin("root", "root-password"), null, Map.of());
            try (ServiceKit kit = ServiceKit.open(config, null, new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC(), new PasswordHasher(4));
                 ServiceServer server = kit.serve("test", api -> api.page("/", Role.VIEWER, "Home", ctx ->
                         ctx.html(Html.page("Home", "<h1 id=\"hello\">Hello " + Html.escape(Api.caller(ctx).name()) + "</h1>"))));
                 Chromium chromium = Chromium.start()) {
                var driver = chromium.driver();
                driver.get(server.baseUri() + "/");
                assertTrue(driver.getCurrentUrl().contains("/login?next=%2F"), driver.getCurrentUrl());
                driver.findElement(By.id("name")).sendKeys("root");
                driver.findElement(By.id("password")).sendKeys("wrong-password");
                driver.findElement(By.id("login")).click();
                assertEquals("Wrong user name or password.", driver.findElement(By.id("login-error")).getText());
                driver.findElement(By.id("name")).sendKeys("root");
                driver.findElement(By.id("password")).sendKeys("root-password");
                driver.findElement(By.id("login")).click();
                new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("hello")).isEmpty());
                assertEquals("Hello root", driver.findElement(By.id("hello")).getText());
                BufferedImage shot = chromium.screenshot(Path.of("target/screenshots/login-home.png"));
                assertTrue(Chromium.distinctColours(shot, 10) > 1, "the screenshot is blank");
            }
        }
    }
}
