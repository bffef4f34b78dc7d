package org.cohortflow.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The demo's reviewer ({@code --review auto}): it works the task service's queue as a person does in the viewer,
 * through the same REST API (take the next task, lock it, submit the result), and answers as a cautious
 * reviewer would on a synthetic cohort: every scan is usable, every mask is accepted, and a failed run is
 * excluded rather than run again (running it again would fail again).
 */
public final class AutoReviewer implements AutoCloseable {
    /** The answer per template of the example study; other templates are answered with each required enum's first value. */
    static final Map<String, Map<String, Object>> ANSWERS = Map.of(
            "study-scan-qc", Map.of("quality", "usable"),
            "study-mask-review", Map.of("verdict", "accept"),
            "study-inspect", Map.of("decision", "exclude", "cause", "bad input", "note", "excluded by the demo's auto-review"));

    /** One answered task. */
    public record Answered(long task, String template, String subject, Map<String, Object> result) {}

    private final RestClient tasks;
    private final Consumer<String> log;
    private final List<Answered> answered = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    private AutoReviewer(RestClient tasks, Consumer<String> log) {
        this.tasks = tasks;
        this.log = log;
        this.thread = new Thread(this::work, "cohortflow-demo-reviewer");
        this.thread.setDaemon(true);
    }

    /** Starts reviewing as the task service's user behind {@code tasks}. */
    public static AutoReviewer start(RestClient tasks, Consumer<String> log) {
        AutoReviewer r = new AutoReviewer(tasks, log);
        r.thread.start();
        return r;
    }

    /** The tasks answered so far, in order. */
    public List<Answered> answered() {
        synchronized (answered) {
            return List.copyOf(answered);
        }
    }

    /** Throws what stopped the reviewer, if anything did. */
    public void check() {
        if (failure != null) {
            throw failure;
        }
    }

    private void work() {
        int errors = 0;
        while (!stopped) {
            try {
                if (!reviewNext()) {
                    Thread.sleep(200);
                }
                errors = 0;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A service busy or restarting: try again; give up only when it keeps failing.
                if (++errors >= 50) {
                    failure = e;
                    return;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Takes the next task and answers it; false when there was none. */
    boolean reviewNext() {
        RestClient.Answer next = tasks.send("POST", "/api/v1/next", "{}");
        if (next.status() == 204) {
            return false;
        }
        if (!next.ok()) {
            throw new IllegalStateException("POST /api/v1/next answered " + next.status() + ": " + next.body());
        }
        JsonNode task = next.body();
        long id = task.path("id").asLong();
        String template = task.path("template").asText();
        String subject = task.at("/content/subject").asText("?");
        tasks.post("/api/v1/tasks/" + id + "/lock", "{}");
        Map<String, Object> result = answer(template);
        tasks.post("/api/v1/tasks/" + id + "/result", Map.of("result", result));
        answered.add(new Answered(id, template, subject, result));
        log.accept("review: task " + id + " (" + template + ") of " + subject + " -> " + result);
        return true;
    }

    private Map<String, Object> answer(String template) {
        Map<String, Object> known = ANSWERS.get(template);
        if (known != null) {
            return known;
        }
        JsonNode form = tasks.get("/api/v1/templates/" + template).at("/form");
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonNode required : form.path("required")) {
            JsonNode values = form.path("properties").path(required.asText()).path("enum");
            if (values.isArray() && !values.isEmpty()) {
                out.put(required.asText(), values.get(0).asText());
            }
        }
        return out;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
