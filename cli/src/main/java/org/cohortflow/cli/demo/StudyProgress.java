package org.cohortflow.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the study's experiments are, as the study governor's API tells it: one snapshot of every experiment
 * with its state, read with {@code GET /api/v1/experiments?study=}.
 *
 * @param experiments the experiments, oldest first
 * @param finalStates the workflow's final states
 */
public record StudyProgress(List<Experiment> experiments, Set<String> finalStates) {

    /** One experiment: governor id, subject (the pseudonym), label (the de-identified study UID), state, creation. */
    public record Experiment(long id, String subject, String label, String state, Instant created) {}

    public StudyProgress {
        experiments = List.copyOf(experiments);
        finalStates = Set.copyOf(finalStates);
    }

    /** Reads the study's experiments from the governor. */
    public static StudyProgress read(RestClient governor, String study, Set<String> finalStates) {
        List<Experiment> out = new ArrayList<>();
        for (int offset = 0; ; offset += 1000) {
            JsonNode page = governor.get("/api/v1/experiments?study=" + study + "&limit=1000&offset=" + offset);
            JsonNode items = page.isArray() ? page : page.path("items");
            for (JsonNode e : items) {
                out.add(new Experiment(e.path("id").asLong(), e.path("subject").asText(), e.path("label").asText(),
                        e.path("state").asText(), instant(e.path("created"))));
            }
            if (items.size() < 1000) {
                break;
            }
        }
        return new StudyProgress(out, finalStates);
    }

    /** Experiments per state, by state name. */
    public Map<String, Integer> perState() {
        Map<String, Integer> m = new TreeMap<>();
        experiments.forEach(e -> m.merge(e.state(), 1, Integer::sum));
        return m;
    }

    /** Whether {@code expected} experiments exist and each is in a final state. */
    public boolean settled(int expected) {
        return experiments.size() >= expected && experiments.stream().allMatch(e -> finalStates.contains(e.state()));
    }

    /** One line for the console: the count per state. */
    public String line(int expected) {
        StringBuilder b = new StringBuilder("experiments " + experiments.size() + "/" + expected);
        perState().forEach((s, n) -> b.append(" | ").append(s).append(' ').append(n));
        return b.toString();
    }

    /** An ISO-8601 instant from the services' JSON, or null. */
    static Instant instant(JsonNode n) {
        return n == null || !n.isTextual() ? null : Instant.parse(n.asText());
    }
}
