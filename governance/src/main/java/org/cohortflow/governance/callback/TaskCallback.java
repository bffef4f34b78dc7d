package org.cohortflow.governance.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cohortflow.governance.workflow.CallbackCatalog;

/**
 * Creates a task for people in the task service ({@code POST URL/api/v1/tasks}, its REST contract) with
 * this callback's URL and secret, then waits: the task service PUTs the task's result to the callback URL
 * when the task is done, and that resolves the callback ({@code done} is success, anything else failed).
 * The task's {@code content} is the workflow's {@code content} argument with {@code scan:LABEL} and
 * {@code var:NAME} resolved as a pipeline's sources are ({@link ExperimentBinding}), plus the subject,
 * experiment and study. Its images are the workflow's {@code content.images} when given
 * (e.g. {@code images: {ct: "var:ct_nifti", mask: "var:mask_nifti"}}, a pipeline's NIfTI outputs), else the
 * experiment's scans ({@code content.scans}, which the task service shows by label).
 */
public final class TaskCallback implements CallbackType {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String defaultToken;

    /** @param defaultToken API token for the task service when a workflow gives none (may be null) */
    public TaskCallback(String defaultToken) {
        this.defaultToken = defaultToken;
    }

    @Override
    public String name() {
        return "task";
    }

    @Override
    public CallbackCatalog.Arguments arguments() {
        return new CallbackCatalog.Arguments(Set.of("url", "project", "template"),
                Set.of("token", "tags", "user", "group", "content"));
    }

    @Override
    public Outcome run(CallbackRequest r) throws Exception {
        Map<String, Object> content = new LinkedHashMap<>();
        if (r.args().get("content") instanceof Map<?, ?> m) {
            // scan:LABEL and var:NAME inside the content, as a pipeline's sources are bound
            m.forEach((k, v) -> content.put(k.toString(), ExperimentBinding.resolveAll(v, r.experiment(), "content." + k)));
        }
        content.put("subject", r.experiment().subject());
        content.put("experiment", r.experiment().label());
        content.put("study", r.experiment().study());
        if (!content.containsKey("images")) {
            // the task service shows the experiment's scans by label; with 'images' given, it shows only those
            content.putIfAbsent("scans", r.experiment().scans());
        }
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("project", r.text("project", ""));
        task.put("template", r.text("template", ""));
        task.put("content", content);
        task.put("tags", r.args().get("tags") instanceof List<?> l ? l : List.of());
        task.put("fixedUser", r.args().get("user"));
        task.put("fixedGroup", r.args().get("group"));
        task.put("taskGroup", null);
        task.put("callbackUrl", r.callbackUrl().toString());
        task.put("callbackSecret", r.secret());
        String base = r.text("url", "").replaceAll("/+$", "");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks"))
                .timeout(r.runTimeout())
                .header("Content-Type", "application/json")
                .header(HttpCallback.KEY_HEADER, "governor-callback-" + r.executionId())
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(task)));
        String token = r.text("token", defaultToken);
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new java.io.IOException("task service " + base + " does not answer (connection refused)", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new java.io.IOException("task service answered HTTP " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(300, response.body().length())));
        }
        JsonNode made = MAPPER.readTree(response.body());
        return new Outcome.Waiting("task " + made.path("id").asText("?") + " created in project " + r.text("project", ""));
    }
}
