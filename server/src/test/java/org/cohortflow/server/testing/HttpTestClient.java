package org.cohortflow.server.testing;

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

/** A small HTTP client for service tests: JSON in and out, with Basic, Bearer or no credentials. */
public final class HttpTestClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String authorization;

    private HttpTestClient(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** A client sending no credentials. */
    public static HttpTestClient anonymous(URI base) {
        return new HttpTestClient(base, null);
    }

    /** This client sending a bearer token. */
    public HttpTestClient withToken(String token) {
        return new HttpTestClient(base, "Bearer " + token);
    }

    /** This client sending a user name and password. */
    public HttpTestClient withPassword(String user, String password) {
        return new HttpTestClient(base, "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** An answer: status, raw body and the body as JSON when it is JSON. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json, null);
    }

    public Response put(String path, String json) {
        return send("PUT", path, json, null);
    }

    public Response patch(String path, String json) {
        return send("PATCH", path, json, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    /** Any method, with an optional body and one extra header ({@code "Name: value"}). */
    public Response send(String method, String path, String json, String extraHeader) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (extraHeader != null) {
            int colon = extraHeader.indexOf(':');
            b.header(extraHeader.substring(0, colon).trim(), extraHeader.substring(colon + 1).trim());
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Quotes text as a JSON string. */
    public static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
