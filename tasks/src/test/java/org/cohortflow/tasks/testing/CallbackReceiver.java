package org.cohortflow.tasks.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP endpoint on loopback that receives task callbacks (the JDK's HTTP server): it records every
 * request with its headers and body, answers with a status the test chooses, and can be stopped and started
 * again on the same port to play an endpoint that is down for a while.
 */
public final class CallbackReceiver implements AutoCloseable {
    /** One request as it arrived. */
    public record Delivery(String method, String path, String secret, String key, String body, Instant at) {
    }

    private final List<Delivery> deliveries = new ArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;
    private int port;

    /** Starts on an ephemeral loopback port. */
    public CallbackReceiver() throws IOException {
        start(0);
    }

    private void start(int onPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            synchronized (deliveries) {
                deliveries.add(new Delivery(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("X-Cohortflow-Secret"),
                        exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                        new String(body, StandardCharsets.UTF_8), Instant.now()));
                deliveries.notifyAll();
            }
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    /** The URL of {@code path} on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The status answered from now on (e.g. 503 to refuse deliveries). */
    public void answer(int httpStatus) {
        status.set(httpStatus);
    }

    /** Stops listening: deliveries now fail to connect. */
    public void stop() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public void restart() throws IOException {
        start(port);
    }

    /** Every request so far. */
    public List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /** Waits until at least {@code count} requests arrived; fails the test with what did arrive otherwise. */
    public List<Delivery> await(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (deliveries) {
            while (deliveries.size() < count) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " callback(s) within " + timeout + ", got " + deliveries);
                }
                deliveries.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(deliveries);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
