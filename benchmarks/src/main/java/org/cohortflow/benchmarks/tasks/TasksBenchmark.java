package org.cohortflow.benchmarks.tasks;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.tasks.TasksService;
import org.cohortflow.server.testing.Chromium;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.PostgresServer;
import org.cohortflow.tasks.testing.TasksFixture;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Task service throughput and viewer latency (issue 14):
 * <ol>
 *   <li>round trips per second: N tasks (the STS CT and its mask, each with a callback URL) spread over R
 *       reviewers by the service's assignment; R client threads, one per reviewer, each repeat {@code POST /next}
 *       (which locks the task) and {@code POST /tasks/ID/result} until none is left; a round trip ends when its
 *       callback reached a loopback endpoint (counted once per Idempotency-Key). As a ratio to the same R
 *       threads doing an authenticated read ({@code GET /api/v1/tasks/ID}) in the same run;</li>
 *   <li>time to the first slice: a reviewer opens the next task in Chromium and the viewer reports the CT and
 *       its mask drawn (cold, then warm with the images in the browser's cache), as a ratio to fetching the
 *       same two images over HTTP.</li>
 * </ol>
 * On an H2 file and on a PostgreSQL started for the run. Usage:
 * {@code TasksBenchmark [tasks] [reviewers] [h2|postgresql|both]} from the repository root.
 */
public final class TasksBenchmark {
    private static final Path TEMPLATE = Path.of("tasks/examples/sts-ct-qc.yaml");

    private TasksBenchmark() {}

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int reviewers = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String which = args.length > 2 ? args[2] : "both";
        if (!Files.isRegularFile(TEMPLATE)) {
            throw new IllegalStateException("run from the repository root: " + TEMPLATE + " not found");
        }
        Set<String> keys = ConcurrentHashMap.newKeySet();
        AtomicLong lastCallback = new AtomicLong();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        hook.setExecutor(Executors.newFixedThreadPool(8));
        hook.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            if (keys.add(ex.getRequestHeaders().getFirst("Idempotency-Key"))) {
                lastCallback.set(System.nanoTime());
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
        String callback = "http://127.0.0.1:" + hook.getAddress().getPort() + "/done";
        try {
            if (!which.equals("postgresql")) {
                Path dir = Files.createTempDirectory("tasks-bench-h2-");
                run("h2", new DatabaseSettings(DatabaseSettings.H2_FILE_PREFIX + dir.resolve("db") + ";WRITE_DELAY=0", "sa", ""), dir, callback,
                        tasks, reviewers, keys, lastCallback, true);
            }
            if (!which.equals("h2")) {
                try (PostgresServer pg = PostgresServer.start()) {
                    keys.clear();
                    run("postgresql", pg.createDatabase(), Files.createTempDirectory("tasks-bench-pg-"), callback, tasks, reviewers,
                            keys, lastCallback, false);
                }
            }
        } catch (Throwable e) {
            e.printStackTrace();
            hook.stop(0);
            System.exit(1);
        }
        hook.stop(0);
        System.exit(0); // the services' and Chromium's non-daemon threads
    }

    private static void run(String kind, DatabaseSettings db, Path dir, String callback, int n, int r, Set<String> delivered,
                            AtomicLong lastCallback, boolean browser) throws Exception {
        // TasksFixture's configuration, started here: the fixture itself asserts with JUnit, which benchmarks do not ship.
        try (Service f = Service.start(TasksFixture.config(db, dir, 0, Map.of("callbackPollMillis", "50")))) {
            require(f.admin().post("/api/v1/projects", "{\"name\":\"bench\"}"), 201);
            require(f.admin().put("/api/v1/templates/sts-ct-qc", Files.readString(TEMPLATE)), 201);
            List<HttpTestClient> people = new ArrayList<>();
            for (int i = 0; i < r; i++) {
                people.add(f.reviewer("r" + i));
            }
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(4, r));
            long c0 = System.nanoTime();
            List<Future<?>> made = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                made.add(pool.submit(() -> require(f.admin().post("/api/v1/tasks", TasksFixture.stsTask("bench", "S" + k,
                        "\"callbackUrl\":" + HttpTestClient.quote(callback) + ",\"callbackSecret\":\"bench-secret\"")), 201)));
                if (made.size() >= 64) {
                    for (Future<?> x : made) x.get();
                    made.clear();
                }
            }
            for (Future<?> x : made) x.get();
            double creation = (System.nanoTime() - c0) / 1e9;

            // Baseline: the same threads doing an authenticated read each, as many requests as the round trips make.
            List<Future<Long>> reads = new ArrayList<>();
            long b0 = System.nanoTime();
            for (HttpTestClient p : people) {
                reads.add(pool.submit(() -> {
                    long count = 0;
                    for (int i = 0; i < 2 * n / r; i++) {
                        require(p.get("/api/v1/tasks/" + (1 + (i % n))), 200);
                        count++;
                    }
                    return count;
                }));
            }
            long readCount = 0;
            for (Future<Long> x : reads) readCount += x.get();
            double readsPerSecond = readCount / ((System.nanoTime() - b0) / 1e9);

            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            List<Future<Long>> work = new ArrayList<>();
            long t0 = System.nanoTime();
            for (HttpTestClient p : people) {
                work.add(pool.submit(() -> {
                    long done = 0;
                    while (true) {
                        long s = System.nanoTime();
                        HttpTestClient.Response next = p.post("/api/v1/next", "");
                        if (next.status() == 204) return done;
                        require(next, 200);
                        long id = next.json().path("id").asLong();
                        require(p.post("/api/v1/tasks/" + id + "/result", "{\"result\":{\"quality\":\"good\"}}"), 200);
                        latencies.add((System.nanoTime() - s) / 1e6);
                        done++;
                    }
                }));
            }
            long submitted = 0;
            for (Future<Long> x : work) submitted += x.get();
            double submitSeconds = (System.nanoTime() - t0) / 1e9;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (delivered.size() < n && System.nanoTime() < deadline) Thread.sleep(20);
            if (delivered.size() < n || submitted != n) {
                throw new IllegalStateException(kind + ": " + submitted + " results submitted, " + delivered.size() + " callbacks of " + n);
            }
            double seconds = (lastCallback.get() - t0) / 1e9;
            Collections.sort(latencies);
            double roundTrips = n / seconds;
            System.out.printf("%s: %d tasks created in %.1f s (%.0f/s); %d reviewers: %d round trips (next+lock, result, callback)"
                            + " in %.1f s = %.0f/s (results all in after %.1f s); next+result p50 %.1f ms, p99 %.1f ms;"
                            + " baseline authenticated reads %.0f/s; round trips / (reads / 2) = %.2f%n",
                    kind, n, creation, n / creation, r, n, seconds, roundTrips, submitSeconds, latencies.get(latencies.size() / 2),
                    latencies.get((int) Math.floor(latencies.size() * 0.99)), readsPerSecond, roundTrips / (readsPerSecond / 2));
            pool.shutdown();
            if (browser) {
                firstSlice(f);
            }
        }
    }

    /** Time from clicking 'Open next task' to the viewer's CT and mask drawn, against fetching the two images. */
    private static void firstSlice(Service f) throws Exception {
        f.reviewer("viewer");
        HttpTestClient.Response made = f.admin().post("/api/v1/tasks", TasksFixture.stsTask("bench", "STS_001", ""));
        require(made, 201);
        long id = made.json().path("id").asLong();
        HttpTestClient admin = f.admin();
        long g0 = System.nanoTime();
        var task = admin.get("/api/v1/tasks/" + id).json();
        String json = task.toString();
        for (String key : List.of("ct", "mask")) {
            String url = json.replaceAll(".*\"(/api/v1/tasks/" + id + "/images/" + key + "/[^\"]+)\".*", "$1");
            require(admin.get(url), 200);
        }
        double fetch = (System.nanoTime() - g0) / 1e6;
        try (Chromium chromium = Chromium.start()) {
            WebDriver d = chromium.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(180));
            d.get(f.base() + "/");
            wait.until(x -> !x.findElements(By.id("name")).isEmpty());
            d.findElement(By.id("name")).sendKeys("viewer");
            d.findElement(By.id("password")).sendKeys("viewer-password");
            d.findElement(By.id("login")).click();
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                if (i > 0) d.get(f.base() + "/");
                wait.until(x -> x.findElement(By.id("queue-view")).isDisplayed());
                long s = System.nanoTime();
                d.findElement(By.id("next-task")).click();
                wait.until(x -> {
                    String loaded = x.findElement(By.id("viewer-canvas")).getDomAttribute("data-loaded");
                    return "true".equals(loaded) || "error".equals(loaded);
                });
                times.add((System.nanoTime() - s) / 1e6);
                if (!"true".equals(d.findElement(By.id("viewer-canvas")).getDomAttribute("data-loaded"))) {
                    throw new IllegalStateException("the viewer failed: " + d.findElement(By.id("viewer-status")).getText());
                }
            }
            List<Double> warm = new ArrayList<>(times.subList(1, times.size()));
            Collections.sort(warm);
            System.out.printf("first slice of the STS CT + mask in Chromium: cold %.0f ms, warm median %.0f ms; the two images over"
                            + " HTTP %.0f ms; cold / fetch = %.1f%n", times.get(0), warm.get(warm.size() / 2), fetch, times.get(0) / fetch);
        }
    }

    /** A task service with an admin token client; reviewers are users with a token and a reviewer profile. */
    private record Service(RunningService running, HttpTestClient admin) implements AutoCloseable {
        static Service start(ServiceConfig config) {
            RunningService s = new TasksService().start(config);
            HttpTestClient byPassword = HttpTestClient.anonymous(s.baseUri()).withPassword("root", TasksFixture.ADMIN_PASSWORD);
            HttpTestClient.Response t = byPassword.post("/api/v1/tokens", "{\"label\":\"bench\"}");
            require(t, 201);
            return new Service(s, HttpTestClient.anonymous(s.baseUri()).withToken(t.json().path("value").asText()));
        }

        String base() {
            return running.baseUri().toString();
        }

        HttpTestClient reviewer(String name) {
            require(admin.post("/api/v1/users", "{\"name\":\"" + name + "\",\"password\":\"" + name + "-password\",\"roles\":[\"viewer\"]}"), 201);
            require(admin.put("/api/v1/reviewers/" + name, "{\"weight\":1}"), 200);
            HttpTestClient.Response t = admin.post("/api/v1/tokens", "{\"label\":\"bench\",\"user\":\"" + name + "\"}");
            require(t, 201);
            return HttpTestClient.anonymous(running.baseUri()).withToken(t.json().path("value").asText());
        }

        @Override
        public void close() {
            running.close();
        }
    }

    private static void require(HttpTestClient.Response r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException("expected " + status + ": " + r);
        }
    }
}
