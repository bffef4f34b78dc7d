package org.cohortflow.tasks.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.tasks.TasksService;

/**
 * A running task service for a test, on a given database, with an administrator ({@code root}), a manager
 * token client, and helpers that set up projects, templates, reviewers and tasks through the REST API (as a
 * real client would). Reviewers log in with passwords; API calls in bulk use tokens, which skip bcrypt.
 */
public final class TasksFixture implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "root-password";
    private final RunningService service;
    private final HttpTestClient anonymous;
    private final HttpTestClient admin;
    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    private TasksFixture(RunningService service) {
        this.service = service;
        this.anonymous = HttpTestClient.anonymous(service.baseUri());
        HttpTestClient byPassword = anonymous.withPassword("root", ADMIN_PASSWORD);
        this.tokens.put("root", token(byPassword, "root"));
        this.admin = anonymous.withToken(tokens.get("root"));
    }

    /**
     * Starts the service on an ephemeral port.
     *
     * @param extra settings beside the defaults (data roots: the shared data and {@code data}; quick callbacks)
     */
    public static TasksFixture start(DatabaseSettings db, Path data, Map<String, Object> extra) {
        return new TasksFixture(new TasksService().start(config(db, data, 0, extra)));
    }

    /** The configuration the fixture starts with, also used to write config files for other processes. */
    public static ServiceConfig config(DatabaseSettings db, Path data, int port, Map<String, Object> extra) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dataRoots", List.of(SharedData.root().toString(), data.toString()));
        settings.put("callbackFirstRetrySeconds", "1");
        settings.put("callbackMaxRetrySeconds", "2");
        settings.put("callbackPollMillis", "200");
        settings.putAll(extra);
        return new ServiceConfig(TasksService.NAME, "127.0.0.1", port, data, db, new BootstrapAdmin("root", ADMIN_PASSWORD),
                null, settings);
    }

    public RunningService service() {
        return service;
    }

    /** A client without credentials. */
    public HttpTestClient anonymous() {
        return anonymous;
    }

    /** The administrator, by token. */
    public HttpTestClient admin() {
        return admin;
    }

    /** Creates a user with roles and returns a client authenticated with a token of theirs. */
    public HttpTestClient user(String name, String... roles) {
        HttpTestClient.Response r = admin.post("/api/v1/users", "{\"name\":" + HttpTestClient.quote(name)
                + ",\"password\":\"" + name + "-password\",\"roles\":" + list(roles) + "}");
        assertEquals(201, r.status(), r.toString());
        tokens.put(name, token(admin, name));
        return anonymous.withToken(tokens.get(name));
    }

    /** Creates a reviewer (user with the viewer role plus a reviewer profile). */
    public HttpTestClient reviewer(String name, double weight, String... groups) {
        HttpTestClient client = user(name, "viewer");
        HttpTestClient.Response r = admin.put("/api/v1/reviewers/" + name, "{\"weight\":" + weight + ",\"groups\":" + list(groups) + "}");
        assertEquals(200, r.status(), r.toString());
        return client;
    }

    /** Creates a project. */
    public void project(String name) {
        HttpTestClient.Response r = admin.post("/api/v1/projects", "{\"name\":" + HttpTestClient.quote(name) + "}");
        assertEquals(201, r.status(), r.toString());
    }

    /** Uploads the example STS CT QC template (tasks/examples/sts-ct-qc.yaml). */
    public void stsTemplate() {
        try {
            String text = Files.readString(Path.of("examples/sts-ct-qc.yaml"));
            HttpTestClient.Response r = admin.put("/api/v1/templates/sts-ct-qc", text);
            assertEquals(201, r.status(), r.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON of a task creation for the STS CT and mask; {@code extra} members are added as given. */
    public static String stsTask(String project, String subject, String extra) {
        return "{\"project\":" + HttpTestClient.quote(project) + ",\"template\":\"sts-ct-qc\",\"content\":{\"subject\":"
                + HttpTestClient.quote(subject) + ",\"experiment\":\"CT\",\"images\":{\"ct\":"
                + HttpTestClient.quote(SharedData.stsCt().toUri().toString()) + ",\"mask\":"
                + HttpTestClient.quote(SharedData.stsCtMask().toString()) + "}}" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** Creates tasks and returns the created ones. */
    public List<JsonNode> createTasks(String json) {
        HttpTestClient.Response r = admin.post("/api/v1/tasks", json);
        assertEquals(201, r.status(), r.toString());
        List<JsonNode> out = new java.util.ArrayList<>();
        r.json().path("created").forEach(out::add);
        return out;
    }

    /** Creates one task and returns its id. */
    public long createTask(String json) {
        return createTasks(json).get(0).path("id").asLong();
    }

    /** The API token made for {@code user} by {@link #user}. */
    public String token(String user) {
        return tokens.get(user);
    }

    private static String token(HttpTestClient by, String user) {
        HttpTestClient.Response r = by.post("/api/v1/tokens", "{\"label\":\"test\",\"user\":" + HttpTestClient.quote(user) + "}");
        assertEquals(201, r.status(), r.toString());
        JsonNode j = r.json();
        return j.has("value") ? j.get("value").asText() : j.path("token").asText();
    }

    private static String list(String... items) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < items.length; i++) sb.append(i == 0 ? "" : ",").append(HttpTestClient.quote(items[i]));
        return sb.append("]").toString();
    }

    @Override
    public void close() {
        service.close();
    }
}
