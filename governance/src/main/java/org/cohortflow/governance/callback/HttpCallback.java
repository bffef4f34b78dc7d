package org.cohortflow.governance.callback;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.cohortflow.governance.workflow.CallbackCatalog;

/**
 * A webhook: POSTs (or PUTs) the experiment as JSON to a URL with the callback's secret in
 * {@value #SECRET_HEADER} and a stable {@value #KEY_HEADER}. With {@code wait: false} (default) a 2xx answer
 * finishes the callback (a JSON object answer becomes its output); with {@code wait: true} the receiver
 * answers later on {@code callbackUrl} and the callback waits for it.
 */
public final class HttpCallback implements CallbackType {
    /** The header carrying the per-callback secret, both ways (the task service uses the same). */
    public static final String SECRET_HEADER = "X-Cohortflow-Secret";
    /** The header carrying a key that is the same for every attempt of one execution. */
    public static final String KEY_HEADER = "Idempotency-Key";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Override
    public String name() {
        return "http";
    }

    @Override
    public CallbackCatalog.Arguments arguments() {
        return new CallbackCatalog.Arguments(Set.of("url"), Set.of("method", "wait", "body"));
    }

    @Override
    public Outcome run(CallbackRequest r) throws Exception {
        String method = r.text("method", "POST").toUpperCase(java.util.Locale.ROOT);
        if (!method.equals("POST") && !method.equals("PUT")) {
            throw new IllegalArgumentException("http callback method must be POST or PUT, not " + method);
        }
        boolean wait = Boolean.parseBoolean(r.text("wait", "false"));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("callback", r.name());
        payload.put("execution", r.executionId());
        payload.put("attempt", r.attempt());
        payload.put("callbackUrl", r.callbackUrl().toString());
        payload.put("experiment", r.experiment());
        if (r.args().get("body") != null) {
            payload.put("body", r.args().get("body"));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(r.text("url", "")))
                .timeout(r.runTimeout())
                .header("Content-Type", "application/json")
                .header(SECRET_HEADER, r.secret())
                .header(KEY_HEADER, "governor-callback-" + r.executionId())
                .method(method, HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(payload)))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new java.io.IOException(r.text("url", "") + " does not answer (connection refused)", e);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new java.net.http.HttpTimeoutException(r.text("url", "") + " did not answer within the run timeout of " + r.runTimeout());
        }
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status / 100 != 2) {
            throw new java.io.IOException(r.text("url", "") + " answered HTTP " + status
                    + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(300, body.length()))));
        }
        if (wait) {
            return new Outcome.Waiting("delivered (HTTP " + status + "); waiting for the answer on the callback URL");
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("status", (long) status);
        if (body.trim().startsWith("{")) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = MAPPER.readValue(body, Map.class);
                output.putAll(m);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                output.put("body", body);
            }
        }
        return new Outcome.Finished(true, "HTTP " + status, output, Map.of());
    }
}
