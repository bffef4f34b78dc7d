package org.cohortflow.monitor.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cohortflow.executors.monitor.MonitorSettings;
import org.cohortflow.monitor.MonitorProcess;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.ServiceJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor killed with SIGKILL while a run reports to it, and started again on the same database and
 * port: the run's reporter re-sends what was not acknowledged, and the monitor ends up with every event
 * once and every job's final state as in the run's report.
 */
class KilledMonitorIT {
    @TempDir
    Path dir;

    @Test
    void a_monitor_killed_in_the_middle_of_a_run_and_restarted_loses_nothing_and_counts_nothing_twice() throws Exception {
        CountingRun.prepare(dir, 80);
        int port = ServiceJvm.freePort();
        String db = "jdbc:h2:file:" + dir.resolve("monitor/db") + ";WRITE_DELAY=0";
        Path tokenFile = dir.resolve("token");
        ServiceJvm first = MonitorProcess.start(db, dir.resolve("monitor"), port, tokenFile);
        String token = Files.readString(tokenFile);
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpTestClient viewer = HttpTestClient.anonymous(base).withToken(token);
        // The run's end waits for the restarted monitor to take its last events: on a loaded machine the second
        // monitor JVM can take longer than half a minute to listen, so the wait is generous (it ends once all is sent).
        MonitorSettings settings = MonitorSettings.of(base, Optional.of(token)).withInterval(Duration.ofMillis(200))
                .withCloseWait(Duration.ofMinutes(3));
        CompletableFuture<CountingRun> run = CompletableFuture.supplyAsync(() ->
                CountingRun.run(dir, "killed", "local", Optional.of(settings)));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            HttpTestClient.Response r = viewer.get("/api/v1/runs");
            if (r.status() == 200 && r.json().size() == 1 && r.json().get(0).get("events").asLong() > 20) {
                break;
            }
            Thread.sleep(100);
        }
        assertFalse(run.isDone(), "the run was still going when its monitor was killed");
        first.kill9();
        try (ServiceJvm second = MonitorProcess.start(db, dir.resolve("monitor"), port, tokenFile)) {
            CountingRun done = run.get(5, TimeUnit.MINUTES);
            assertEquals(1, done.result().exitCode(), done.console());
            ReportingRunIT.sameAsReport(viewer, dir.resolve("work/killed"));
        }
    }
}
