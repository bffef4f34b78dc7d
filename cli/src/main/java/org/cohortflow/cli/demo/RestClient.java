package org.cohortflow.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The demo's client of the services' REST APIs (JSON over HTTP with a password or an API token), used the
 * way a script or a reviewer's page would use them: no access to any service's tables.
 */
public final class RestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final URI base;
    private final String authorization;

    private RestClient(HttpClient http, URI base, String authorization) {
        this.http = http;
        this.base = base;
        this.authorization = authorization;
    }

    /** A client logging in with HTTP Basic. */
    public static RestClient withPassword(URI base, String user, String password) {
        return new RestClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), base,
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** A client sending an API token. */
    public static RestClient withToken(URI base, String token) {
        return new RestClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), base, "Bearer " + token);
    }

    /** The API token this client sends, or null when it sends a password. */
    public String token() {
        return authorization.startsWith("Bearer ") ? authorization.substring("Bearer ".length()) : null;
    }

    /** The service's address. */
    public URI base() {
        return base;
    }

    /** A service's answer: status and JSON body (a JSON null for an empty body). */
    public record Answer(int status, JsonNode body) {
        /** Whether the status is 2xx. */
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /** GET; throws unless the answer is 2xx. */
    public JsonNode get(String path) {
        return require("GET", path, send("GET", path, null));
    }

    /** POST of a JSON body; throws unless the answer is 2xx. */
    public JsonNode post(String path, Object body) {
        return require("POST", path, send("POST", path, body));
    }

    /** PUT of a JSON body; throws unless the answer is 2xx. */
    public JsonNode put(String path, Object body) {
        return require("PUT", path, send("PUT", path, body));
    }

    /**
     * Sends a request and returns whatever the service answered. {@code body} is sent as JSON, or as is when it is
     * a String.
     */
    public Answer send(String method, String path, Object body) {
        try {
            String text = body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + path))
                    .timeout(Duration.ofMinutes(1))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text))
                    .build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode answer;
            try {
                answer = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
            } catch (IOException e) {
                answer = JSON.getNodeFactory().textNode(r.body());
            }
            return new Answer(r.statusCode(), answer);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    private JsonNode require(String method, String path, Answer a) {
        if (!a.ok()) {
            throw new IllegalStateException(method + " " + base + path + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }
}
