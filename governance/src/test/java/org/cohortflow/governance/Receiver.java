package org.cohortflow.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP endpoint (the JDK's server on a loopback port) that the governor's webhooks call in tests.
 * Its paths behave like the systems a workflow talks to:
 * <ul>
 *   <li>{@code /score} answers {@code {"score": N}} where N is the number at the end of the experiment's label;</li>
 *   <li>{@code /flaky/K} answers 500 to the first K requests of each idempotency key, then 200;</li>
 *   <li>{@code /slow/MS} answers after MS milliseconds;</li>
 *   <li>{@code /accept} answers 202 and keeps the request, to be answered later on its callback URL;</li>
 *   <li>{@code /api/v1/tasks} answers like the task service's task creation ({@code 201 {"id": n}}).</li>
 * </ul>
 * Every request is recorded with its headers and body.
 */
public final class Receiver implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
    private final AtomicInteger taskIds = new AtomicInteger();
    private final java.util.concurrent.ExecutorService pool = Executors.newCachedThreadPool();

    /** A request as received. */
    public record Request(String method, String path, String secret, String key, String authorization, JsonNode body) {}

    public Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String pathPrefix) {
        return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] in = ex.getRequestBody().readAllBytes();
        JsonNode body = in.length == 0 ? MAPPER.nullNode() : MAPPER.readTree(in);
        String path = ex.getRequestURI().getPath();
        String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
        requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("X-Cohortflow-Secret"), key,
                ex.getRequestHeaders().getFirst("Authorization"), body));
        try {
            if (path.equals("/score")) {
                String label = body.at("/experiment/label").asText();
                answer(ex, 200, "{\"score\": " + label.replaceAll("^\\D*", "") + "}");
            } else if (path.startsWith("/flaky/")) {
                int failures = Integer.parseInt(path.substring(7));
                int n = perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                answer(ex, n <= failures ? 500 : 200, n <= failures ? "{\"error\":\"not yet\"}" : "{\"tries\": " + n + "}");
            } else if (path.startsWith("/slow/")) {
                Thread.sleep(Long.parseLong(path.substring(6)));
                answer(ex, 200, "{}");
            } else if (path.equals("/accept")) {
                answer(ex, 202, "");
            } else if (path.equals("/api/v1/tasks")) {
                answer(ex, 201, "{\"id\": " + taskIds.incrementAndGet() + ", \"status\": \"queued\"}");
            } else {
                answer(ex, 404, "{\"error\":\"no such path\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer(ex, 500, "");
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
