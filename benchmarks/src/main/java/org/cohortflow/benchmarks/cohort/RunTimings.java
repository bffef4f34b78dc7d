package org.cohortflow.benchmarks.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a finished run folder says about time: per node the span of its jobs in {@code events.jsonl} (first
 * {@code running} to last finished event, both with the times of the jobs' own records) and the sum of its jobs' own times
 * from each {@code job.json} (stamped where the job ran, covering reading and hashing inputs, the tool and
 * storing outputs).
 */
final class RunTimings {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One node. {@code tool} is the tool id its jobs ran. */
    record Node(String node, String tool, int jobs, long firstRunning, long lastFinished, double jobMs,
                List<URI> outputs) {
        double spanMs() {
            return Math.max(0, lastFinished - firstRunning);
        }
    }

    private final Map<String, Node> nodes;
    private final long runStarted;
    private final long runFinished;

    private RunTimings(Map<String, Node> nodes, long runStarted, long runFinished) {
        this.nodes = nodes;
        this.runStarted = runStarted;
        this.runFinished = runFinished;
    }

    /** Nodes in the order their first job started. */
    List<Node> nodes() {
        return nodes.values().stream().sorted(java.util.Comparator.comparingLong(Node::firstRunning)).toList();
    }

    /** The node whose jobs ran {@code tool}. */
    Optional<Node> byTool(String tool) {
        return nodes.values().stream().filter(n -> tool.equals(n.tool())).findFirst();
    }

    /** From the {@code run-started} to the {@code run-finished} event. */
    double eventSpanMs() {
        return runFinished - runStarted;
    }

    double jobMs() {
        return nodes.values().stream().mapToDouble(Node::jobMs).sum();
    }

    static RunTimings read(Path runDir) {
        Map<String, long[]> spans = new LinkedHashMap<>();
        Map<String, Integer> finished = new LinkedHashMap<>();
        long started = 0;
        long ended = 0;
        try {
            for (String line : Files.readAllLines(runDir.resolve("events.jsonl"))) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e = JSON.readTree(line);
                long time = e.path("time").asLong();
                switch (e.path("type").asText()) {
                    case "run-started" -> started = time;
                    case "run-finished" -> ended = time;
                    case "job" -> {
                        long[] span = spans.computeIfAbsent(e.path("node").asText(), k -> new long[] {Long.MAX_VALUE, 0});
                        if ("running".equals(e.path("state").asText())) {
                            span[0] = Math.min(span[0], time);
                        } else {
                            span[1] = Math.max(span[1], time);
                            finished.merge(e.path("node").asText(), 1, Integer::sum);
                        }
                    }
                    default -> { }
                }
            }
            Map<String, Double> jobMs = new LinkedHashMap<>();
            Map<String, String> tools = new LinkedHashMap<>();
            Map<String, List<URI>> outputs = new LinkedHashMap<>();
            try (Stream<Path> files = Files.find(runDir, 3, (p, a) -> p.getFileName().toString().equals("job.json"))) {
                for (Path f : files.toList()) {
                    JsonNode j = JSON.readTree(f.toFile());
                    String node = j.path("node").asText();
                    jobMs.merge(node, (double) (j.path("end").asLong() - j.path("start").asLong()), Double::sum);
                    tools.put(node, j.path("tool").asText());
                    for (JsonNode o : j.path("outputs")) {
                        for (JsonNode v : o.path("values")) {
                            if (!"TEXT".equals(v.path("kind").asText())) {
                                outputs.computeIfAbsent(node, k -> new ArrayList<>()).add(URI.create(v.path("text").asText()));
                            }
                        }
                    }
                }
            }
            Map<String, Node> nodes = new LinkedHashMap<>();
            spans.forEach((node, span) -> nodes.put(node, new Node(node, tools.get(node), finished.getOrDefault(node, 0),
                    span[0] == Long.MAX_VALUE ? span[1] : span[0], span[1], jobMs.getOrDefault(node, 0.0),
                    outputs.getOrDefault(node, List.of()))));
            return new RunTimings(nodes, started, ended);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run folder " + runDir, e);
        }
    }
}
