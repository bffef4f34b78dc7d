package org.cohortflow.benchmarks.monitor;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.RunEngine;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.ToolSet;
import org.cohortflow.executors.events.RunEvent;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.monitor.MonitorReporter;
import org.cohortflow.executors.monitor.MonitorSettings;
import org.cohortflow.executors.monitor.NetworkDescription;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.monitor.MonitorService;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.ServiceConfig;

/**
 * The monitor's costs (issue 17, "Benchmark"): events per second it ingests from a reporter (a 10,000-job
 * run), the wall time a run of 10,000 trivial jobs gains by reporting to a monitor (ratio with / without,
 * runs alternated), and how long a batch takes to reach a watching page as a server-sent {@code delta}.
 * The monitor runs in this JVM on an H2 file, as {@code cohortflow serve monitor} does by default.
 *
 * <pre>
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt)" \
 *     org.cohortflow.benchmarks.monitor.MonitorBenchmark [JOBS] [REPS] [ingest,overhead,latency]
 * </pre>
 */
public final class MonitorBenchmark {
    private static final String NETWORK = """
            network: overhead
            sources:
              numbers: {type: Int}
            nodes:
              add: {tool: basic/AddInt:1.0, inputs: {left: numbers}, parameters: {right: 1}}
              total: {tool: basic/Sum:1.0, inputs: {values: {from: add.result, collapse: numbers}}}
            sinks:
              total: {from: total.total, url: "SINK/total.txt"}
            """;

    private MonitorBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        java.util.Set<String> parts = java.util.Set.of((args.length > 2 ? args[2] : "ingest,overhead,latency").split(","));
        Path dir = Files.createTempDirectory("cohortflow-monitor-bench-");
        ServiceConfig config = new ServiceConfig("monitor", "127.0.0.1", 0, dir.resolve("monitor"), null,
                new BootstrapAdmin("admin", "admin-password"), null, Map.of());
        try (MonitorService.Running monitor = new MonitorService().start(config)) {
            String token = monitor.kit().database().inTransaction(h -> {
                monitor.kit().users().create(h, "reporter", "reporter-password", EnumSet.of(Role.MANAGER));
                return monitor.kit().users().createToken(h, "reporter", "bench", null).value();
            });
            MonitorSettings settings = MonitorSettings.of(monitor.baseUri(), Optional.of(token));
            System.out.printf(Locale.ROOT, "%d jobs, %d repetitions, %d cores, folder %s%n", jobs, reps,
                    Runtime.getRuntime().availableProcessors(), dir);

            List<Double> rates = new ArrayList<>();
            for (int r = 0; parts.contains("ingest") && r <= reps; r++) {
                double rate = ingest(settings, "ingest-" + r, jobs);
                if (r > 0) {
                    rates.add(rate);
                }
                System.out.printf(Locale.ROOT, "ingest %s: %.0f events/s%n", r == 0 ? "(warm-up)" : "#" + r, rate);
            }

            List<Double> plain = new ArrayList<>();
            List<Double> reported = new ArrayList<>();
            List<Double> down = new ArrayList<>();
            try (LocalExecutor e = new LocalExecutor(Runtime.getRuntime().availableProcessors())) {
                int pairs = parts.contains("overhead") ? reps : 0;
                if (pairs > 0) {
                    // Both sides warm: the reported runs also exercise the monitor's code in this JVM (JIT).
                    run(e, dir.resolve("warm"), 2_000, Optional.empty());
                    run(e, dir.resolve("warm-reported"), 2_000, Optional.of(settings));
                    run(e, dir.resolve("warm-reported-again"), 5_000, Optional.of(settings));
                }
                // Alternated, so that a change in the machine's load hits both sides alike.
                for (int r = 0; r < pairs; r++) {
                    if (r % 2 == 0) {
                        plain.add(run(e, dir.resolve("plain-" + r), jobs, Optional.empty()));
                        reported.add(run(e, dir.resolve("reported-" + r), jobs, Optional.of(settings)));
                    } else {
                        reported.add(run(e, dir.resolve("reported-" + r), jobs, Optional.of(settings)));
                        plain.add(run(e, dir.resolve("plain-" + r), jobs, Optional.empty()));
                    }
                    if (parts.contains("down")) {
                        down.add(run(e, dir.resolve("down-" + r), jobs, Optional.of(MonitorSettings.of(
                                URI.create("http://127.0.0.1:" + closedPort()), Optional.of(token)))));
                    }
                }
            }

            List<Double> latencies = parts.contains("latency") ? deltaLatency(monitor.baseUri(), token, 30) : List.of();

            double p = median(plain);
            double w = median(reported);
            System.out.println();
            System.out.println("| measure | value |");
            System.out.println("|---|---:|");
            System.out.printf(Locale.ROOT, "| ingest, %,d-job run (%,d events), median of %d | %,.0f events/s |%n", jobs,
                    2 * jobs + 4, rates.size(), median(rates));
            System.out.printf(Locale.ROOT, "| run of %,d jobs, local executor, without monitor (median) | %.0f ms |%n", jobs + 1, p);
            System.out.printf(Locale.ROOT, "| same run reporting to the monitor (median) | %.0f ms |%n", w);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(plain.size(), reported.size()); i++) {
                ratios.add(reported.get(i) / plain.get(i));
            }
            // Each pair ran back to back, so its ratio shares the machine's load; the median of the ratios is
            // the estimate (the ratio of the medians mixes pairs run under different loads).
            System.out.printf(Locale.ROOT, "| with / without, median of the %d pairs' ratios | %.3f (%+.1f %%) |%n", ratios.size(),
                    median(ratios), (median(ratios) - 1) * 100);
            System.out.printf(Locale.ROOT, "| pairs' ratios | %s |%n", ratios.stream().map(x -> String.format(Locale.ROOT, "%.2f", x))
                    .collect(java.util.stream.Collectors.joining(", ")));
            if (!down.isEmpty()) {
                System.out.printf(Locale.ROOT, "| same run reporting to a monitor that is down (median) | %.0f ms (%.3f) |%n",
                        median(down), median(down) / p);
            }
            System.out.printf(Locale.ROOT, "| batch to server-sent delta (median of %d) | %.1f ms |%n", latencies.size(), median(latencies));
        }
    }

    /** Feeds a reporter the events of a {@code jobs}-job run and waits until all are acknowledged; events/s. */
    private static double ingest(MonitorSettings settings, String key, int jobs) {
        List<RunEvent> events = new ArrayList<>();
        events.add(new RunEvent(1, "run-started", null, null, "local", null));
        events.add(new RunEvent(2, "planned", "a", null, Integer.toString(jobs), null));
        for (int i = 0; i < jobs; i++) {
            events.add(new RunEvent(10 + i, "job", "a", "s" + i, "running", null));
            events.add(new RunEvent(20 + i, "job", "a", "s" + i, "succeeded", null));
        }
        events.add(new RunEvent(100_000, "sink", "sink:t", "all", "written", null));
        events.add(new RunEvent(100_001, "run-finished", null, null, "succeeded", null));
        Map<String, Object> network = Map.of("id", "bench", "sources", List.of(), "nodes", List.of(Map.of("id", "a")),
                "sinks", List.of());
        long t0 = System.nanoTime();
        MonitorReporter r = new MonitorReporter(settings.withInterval(Duration.ofMillis(20)).withCloseWait(Duration.ofMinutes(5)),
                key, key, network, null);
        events.forEach(r);
        r.close();
        double s = (System.nanoTime() - t0) / 1e9;
        if (r.delivered() != events.size()) {
            throw new IllegalStateException("not all events delivered: " + r.problemSummary());
        }
        return events.size() / s;
    }

    /** Runs the trivial network over {@code n} samples, reporting if asked; wall-clock ms including the reporter's close. */
    private static double run(LocalExecutor executor, Path dir, int n, Optional<MonitorSettings> monitor) throws Exception {
        NetworkYaml.Loaded net = NetworkYaml.read(NETWORK.replace("SINK", dir.resolve("sinks").toUri().toString()), "overhead.yaml");
        SourceData.Builder data = SourceData.builder();
        for (int i = 0; i < n; i++) {
            data.add("numbers", "s" + i, Integer.toString(i));
        }
        ToolSet tools = ToolSet.classPathOnly();
        RunSpec spec = RunSpec.of(net.network(), net.locator(), tools, data.build(), dir.resolve("work").toUri());
        long t0 = System.nanoTime();
        MonitorReporter reporter = monitor.map(m -> new MonitorReporter(m, MonitorReporter.keyFor(dir.getFileName().toString()),
                dir.getFileName().toString(), NetworkDescription.of(net.network(), tools.registry()), null)).orElse(null);
        RunReport report = new RunEngine(executor, reporter == null ? List.of() : List.of(reporter)).run(spec);
        if (reporter != null) {
            reporter.finished(report);
            reporter.close();
            if (reporter.problemSummary() != null && !dir.getFileName().toString().startsWith("down")) {
                throw new IllegalStateException(reporter.problemSummary());
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        if (report.exitCode() != 0) {
            throw new IllegalStateException(report.summary());
        }
        System.out.printf(Locale.ROOT, "%-9s %6d jobs in %7.0f ms%n", dir.getFileName().toString().replaceAll("-\\d+$", ""), n + 1, ms);
        return ms;
    }

    /** Time from sending a one-event batch until a client watching the run's stream reads its delta. */
    private static List<Double> deltaLatency(URI base, String token, int n) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String network = "{\"id\": \"lat\", \"sources\": [], \"nodes\": [{\"id\": \"a\"}], \"sinks\": []}";
        send(http, base, token, "PUT", "/api/v1/runs/latency", "{\"name\": \"latency\", \"network\": " + network
                + ", \"executor\": null, \"runDir\": null, \"host\": null, \"startedAt\": null}");
        BlockingQueue<Long> received = new LinkedBlockingQueue<>();
        HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/runs/latency/stream"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("event: delta")) {
                        received.add(System.nanoTime());
                    }
                }
            } catch (java.io.IOException e) {
                // the benchmark is over
            }
        });
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(300);
        List<Double> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            long t0 = System.nanoTime();
            send(http, base, token, "POST", "/api/v1/runs/latency/batches", "{\"seq\": " + i + ", \"dropped\": 0, \"events\": "
                    + "[{\"time\": " + i + ", \"type\": \"job\", \"node\": \"a\", \"sample\": \"s" + i + "\", \"state\": \"succeeded\", \"detail\": null}]}");
            Long t1 = received.poll(10, TimeUnit.SECONDS);
            if (t1 == null) {
                throw new IllegalStateException("no delta for batch " + i);
            }
            if (i > 5) {
                out.add((t1 - t0) / 1e6);
            }
        }
        return out;
    }

    private static void send(HttpClient http, URI base, String token, String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
    }
}
