package org.cohortflow.tasks.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.cohortflow.tasks.template.TaskTemplate;
import org.cohortflow.tasks.template.TemplateParser;

/**
 * A small client of the task service's REST API for scripts and the command line: upload a template
 * (checked locally first, so problems come with the file's own FILE:LINE:COL) and create tasks.
 */
public final class TasksClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI base;
    private final String authorization;

    private TasksClient(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** A client sending an API token. */
    public static TasksClient withToken(URI base, String token) {
        return new TasksClient(base, "Bearer " + token);
    }

    /** A client sending a user name and password. */
    public static TasksClient withPassword(URI base, String user, String password) {
        return new TasksClient(base, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** The service answered with an error. */
    public static final class ServiceException extends IOException {
        private static final long serialVersionUID = 1L;

        ServiceException(String message) {
            super(message);
        }
    }

    /**
     * Checks the template file and uploads it under its name; returns the stored revision.
     *
     * @throws org.cohortflow.tasks.template.InvalidTemplateException with FILE:LINE:COL problems
     */
    public int putTemplate(Path file) throws IOException {
        TaskTemplate t = new TemplateParser().parse(file);
        JsonNode stored = send("PUT", "/api/v1/templates/" + t.name(), t.source());
        return stored.path("revision").asInt();
    }

    /** Creates the task(s) described by {@code task} (the JSON body of {@code POST /api/v1/tasks}); returns their ids. */
    public long[] createTask(JsonNode task) throws IOException {
        JsonNode created = send("POST", "/api/v1/tasks", json.writeValueAsString(task)).path("created");
        long[] ids = new long[created.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = created.get(i).path("id").asLong();
        return ids;
    }

    private JsonNode send(String method, String path, String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofMinutes(1))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode answer = response.body().isBlank() ? json.nullNode() : json.readTree(response.body());
        if (response.statusCode() / 100 != 2) {
            String field = answer.path("field").isTextual() ? " (field " + answer.path("field").asText() + ")" : "";
            throw new ServiceException(method + " " + path + ": HTTP " + response.statusCode() + ": "
                    + answer.path("error").asText(response.body()) + field);
        }
        return answer;
    }
}
