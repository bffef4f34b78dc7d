package org.cohortflow.benchmarks.governance;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cohortflow.governance.Governor;
import org.cohortflow.server.auth.PasswordHasher;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.PostgresServer;

/**
 * Study governor throughput and latency (issue 13):
 * <ol>
 *   <li>transitions per second: N experiments move through a 5-state workflow whose first four states
 *       each have one trivial webhook (a loopback endpoint answering 200 at once), so 4N automatic
 *       transitions, each after a callback attempt, all through the database;</li>
 *   <li>latency from a callback's result to the next state: experiments wait on an asynchronous webhook;
 *       the benchmark answers each on its callback URL, and the answer returns once the transition it
 *       causes has committed, so the round trip is the latency (p50 / p99).</li>
 * </ol>
 * Run on H2 (a file database) and on a PostgreSQL started for the run. Usage:
 * {@code TransitionBenchmark [experiments] [answers] [h2|postgresql|both] [H2 URL options, e.g. ;QUERY_CACHE_SIZE=64]}.
 */
public final class TransitionBenchmark {
    private TransitionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int experiments = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int answers = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        String which = args.length > 2 ? args[2] : "both";
        String h2Options = args.length > 3 ? args[3] : "";
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        hook.setExecutor(Executors.newFixedThreadPool(8));
        hook.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            int status = ex.getRequestURI().getPath().equals("/later") ? 202 : 200;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        hook.start();
        String base = "http://127.0.0.1:" + hook.getAddress().getPort();
        try {
            if (!which.equals("postgresql")) {
                Path dir = Files.createTempDirectory("governor-bench-h2-");
                run("h2", new DatabaseSettings(DatabaseSettings.H2_FILE_PREFIX + dir.resolve("db") + ";WRITE_DELAY=0" + h2Options, "sa", ""), dir, base,
                        experiments, answers);
            }
            if (!which.equals("h2")) {
                try (PostgresServer pg = PostgresServer.start()) {
                    run("postgresql", pg.createDatabase(), Files.createTempDirectory("governor-bench-pg-"), base, experiments, answers);
                }
            }
        } finally {
            hook.stop(0);
            System.exit(0);
        }
    }

    private static void run(String kind, DatabaseSettings db, Path dir, String hook, int n, int answers) throws Exception {
        ServiceConfig config = new ServiceConfig("governor", "127.0.0.1", 0, dir, db, new BootstrapAdmin("root", "bench-password"),
                null, Map.of());
        try (Governor g = Governor.start(config, new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC(), new PasswordHasher(4))) {
            HttpTestClient admin = HttpTestClient.anonymous(g.baseUri()).withPassword("root", "bench-password");
            String token = admin.post("/api/v1/tokens", "{\"label\":\"bench\"}").json().get("value").asText();
            HttpTestClient api = HttpTestClient.anonymous(g.baseUri()).withToken(token);
            String chain = """
                    workflow: chain
                    initial: s1
                    states:
                      s1: {callbacks: [{name: a, type: http, args: {url: "H/ok"}}], transitions: [{to: s2, condition: "callbacks.a.result == 'success'"}, {to: bad}]}
                      s2: {callbacks: [{name: b, type: http, args: {url: "H/ok"}}], transitions: [{to: s3, condition: "callbacks.b.result == 'success'"}, {to: bad}]}
                      s3: {callbacks: [{name: c, type: http, args: {url: "H/ok"}}], transitions: [{to: s4, condition: "callbacks.c.result == 'success'"}, {to: bad}]}
                      s4: {callbacks: [{name: d, type: http, args: {url: "H/ok"}}], transitions: [{to: s5, condition: "callbacks.d.result == 'success'"}, {to: bad}]}
                      s5: {final: true}
                      bad: {final: true}
                    """.replace("H/", hook + "/");
            require(api.post("/api/v1/workflows", "{\"yaml\":" + HttpTestClient.quote(chain) + "}"), 201);
            require(api.post("/api/v1/studies", "{\"name\":\"bench\",\"workflow\":\"chain\"}"), 201);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            long start = System.nanoTime();
            List<Future<?>> made = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                made.add(clients.submit(() -> require(api.post("/api/v1/experiments",
                        "{\"study\":\"bench\",\"subject\":\"s" + k + "\",\"label\":\"e\"}"), 201)));
            }
            for (Future<?> f : made) {
                f.get();
            }
            long created = System.nanoTime();
            int firedAtCreation = g.engine().transitionsFired();
            long studyId = api.get("/api/v1/studies").json().get(0).get("id").asLong();
            long done;
            while (true) {
                var states = api.get("/api/v1/studies/" + studyId).json().get("states");
                long finished = states.path("s5").asLong() + states.path("bad").asLong();
                if (finished >= n) {
                    done = System.nanoTime();
                    if (states.path("bad").asLong() > 0) {
                        throw new IllegalStateException(states.path("bad").asLong() + " experiments failed: " + states);
                    }
                    break;
                }
                Thread.sleep(50);
            }
            double seconds = (done - start) / 1e9;
            int backlog = 4 * n - firedAtCreation;
            double drain = (done - created) / 1e9;
            System.out.printf("%s: %d experiments, %d transitions in %.1f s (creation took %.1f s): %.0f transitions/s end to end,"
                            + " %.0f transitions+creations/s; after creation %d transitions were left and took %.1f s (%.0f/s)%n",
                    kind, n, 4L * n, seconds, (created - start) / 1e9, 4.0 * n / seconds, 5.0 * n / seconds, backlog, drain,
                    backlog / Math.max(drain, 1e-3));

            String waiting = """
                    workflow: answered
                    initial: w
                    states:
                      w: {callbacks: [{name: hook, type: http, args: {url: "H/later", wait: true}}], transitions: [{to: done, condition: "callbacks.hook.result == 'success'"}, {to: bad}]}
                      done: {final: true}
                      bad: {final: true}
                    """.replace("H/", hook + "/");
            require(api.post("/api/v1/workflows", "{\"yaml\":" + HttpTestClient.quote(waiting) + "}"), 201);
            require(api.post("/api/v1/studies", "{\"name\":\"latency\",\"workflow\":\"answered\"}"), 201);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < answers; i++) {
                ids.add(api.post("/api/v1/experiments", "{\"study\":\"latency\",\"subject\":\"l" + i + "\",\"label\":\"e\"}")
                        .json().at("/experiment/id").asLong());
            }
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            for (long id : ids) {
                var cb = api.get("/api/v1/experiments/" + id + "/callbacks").json().get(0);
                while (!cb.get("status").asText().equals("waiting")) {
                    Thread.sleep(5);
                    cb = api.get("/api/v1/experiments/" + id + "/callbacks").json().get(0);
                }
                long exec = cb.get("id").asLong();
                String secret = g.kit().database().withHandle(h -> h.createQuery("SELECT secret FROM callback_execution WHERE id = :id")
                        .bind("id", exec).mapTo(String.class).one());
                long t0 = System.nanoTime();
                var r = api.send("PUT", "/api/v1/callbacks/" + exec, "{\"result\":\"success\"}", "X-Cohortflow-Secret: " + secret);
                latencies.add((System.nanoTime() - t0) / 1e6);
                require(r, 200);
                if (!api.get("/api/v1/experiments/" + id).json().get("state").asText().equals("done")) {
                    throw new IllegalStateException("experiment " + id + " did not move on with the answer");
                }
            }
            Collections.sort(latencies);
            System.out.printf("%s: callback result -> next state, %d answers: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", kind, answers,
                    latencies.get(latencies.size() / 2), latencies.get((int) Math.floor(latencies.size() * 0.99)),
                    latencies.get(latencies.size() - 1));
            clients.shutdown();
        }
    }

    private static void require(HttpTestClient.Response r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException("expected " + status + ": " + r);
        }
    }
}
