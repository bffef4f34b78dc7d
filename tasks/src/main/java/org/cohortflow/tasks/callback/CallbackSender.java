package org.cohortflow.tasks.callback;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Delivers one callback: an HTTP PUT of the JSON body to the creator's URL, with the per-callback secret in
 * {@value #SECRET_HEADER} and the callback's id in {@value #KEY_HEADER} so a receiver that sees the same
 * delivery twice (we crashed after it answered, before we wrote that down) can ignore the second.
 * Only a 2xx answer counts as acknowledged.
 */
public final class CallbackSender {
    /** Header carrying the secret the creator gave with the task. */
    public static final String SECRET_HEADER = "X-Cohortflow-Secret";
    /** Header carrying the callback's stable id, the same on every retry. */
    public static final String KEY_HEADER = "Idempotency-Key";

    private final HttpClient client;
    private final Duration timeout;

    /** @param timeout how long one attempt may take, connection included */
    public CallbackSender(Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
    }

    /** What happened to one attempt. */
    public record Outcome(boolean acknowledged, String detail) {
    }

    /** Sends {@code body} to {@code url} once and reports whether the receiver acknowledged it. */
    public Outcome send(String url, String secret, String key, String body) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header(SECRET_HEADER, secret)
                    .header(KEY_HEADER, key)
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        } catch (IllegalArgumentException e) {
            return new Outcome(false, "bad callback URL: " + e.getMessage());
        }
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            String snippet = response.body() == null ? "" : response.body().substring(0, Math.min(200, response.body().length()));
            return new Outcome(status / 100 == 2, "HTTP " + status + (snippet.isBlank() ? "" : ": " + snippet));
        } catch (IOException e) {
            return new Outcome(false, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        }
    }
}
