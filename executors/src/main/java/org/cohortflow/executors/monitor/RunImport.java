package org.cohortflow.executors.monitor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.executors.events.RunEvent;
import org.cohortflow.executors.storage.RunLayout;
import org.cohortflow.executors.storage.Storage;

/**
 * Loads a finished (or interrupted) run into a monitor from its folder: {@code events.jsonl} and, when the
 * run got that far, {@code report.json}. The run's key is derived from its folder and start, so importing
 * the same run again changes nothing (the monitor recognises the batches). Without the network file the
 * monitor draws the nodes the events name, unlinked.
 */
public final class RunImport {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What an import sent. */
    public record Result(String key, URI page, int events, boolean report, String problem) {}

    private RunImport() {}

    /**
     * Imports the run in {@code runDir}.
     *
     * @param network the network that ran, with its tools, for a drawn graph; or empty
     */
    public static Result importRun(MonitorSettings settings, URI runDir, Map<String, String> hadoopConf,
                                   Optional<Network> network, ToolRegistry tools) throws IOException {
        Storage storage = new Storage(hadoopConf);
        URI eventsUri = Storage.resolve(runDir, RunLayout.EVENTS);
        if (!storage.exists(eventsUri)) {
            throw new IllegalArgumentException("no run in " + runDir + ": " + RunLayout.EVENTS + " is missing");
        }
        List<RunEvent> events = new ArrayList<>();
        int lineNo = 0;
        for (String line : storage.readString(eventsUri).split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(JSON.readValue(line, RunEvent.class));
            } catch (IOException e) {
                throw new IllegalArgumentException(eventsUri + ":" + lineNo + ": not a run event: " + e.getMessage());
            }
        }
        URI reportUri = Storage.resolve(runDir, RunLayout.REPORT);
        JsonNode report = storage.exists(reportUri) ? JSON.readTree(storage.read(reportUri)) : null;
        String path = runDir.getPath() == null ? runDir.toString() : runDir.getPath().replaceAll("/+$", "");
        String name = path.substring(path.lastIndexOf('/') + 1);
        long first = events.isEmpty() ? 0 : events.get(0).time();
        String key = ("import-" + name.replaceAll("[^A-Za-z0-9._-]", "-")).substring(0, Math.min(60, 7 + name.length()))
                + "-" + Storage.sha256((runDir + "@" + first).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 12);
        Map<String, Object> model = network.map(n -> NetworkDescription.of(n, tools))
                .orElseGet(() -> fromEvents(report == null ? name : report.path("network").asText(name), events));
        MonitorSettings s = settings.withCapacity(Math.max(1, events.size())).withCloseWait(Duration.ofSeconds(60));
        MonitorReporter reporter = new MonitorReporter(s, key, name, model, runDir.toString());
        events.forEach(reporter);
        if (report != null) {
            reporter.report(report);
        }
        reporter.close();
        return new Result(key, reporter.page(), events.size(), report != null, reporter.problemSummary());
    }

    /** A network model with the nodes and sinks the events name, in the order they first appear. */
    static Map<String, Object> fromEvents(String networkId, List<RunEvent> events) {
        Set<String> nodes = new LinkedHashSet<>();
        Set<String> sinks = new LinkedHashSet<>();
        for (RunEvent e : events) {
            if (e.node() == null) {
                continue;
            }
            if (e.node().startsWith("sink:")) {
                sinks.add(e.node().substring(5));
            } else {
                nodes.add(e.node());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", networkId);
        m.put("sources", List.of());
        m.put("nodes", nodes.stream().map(n -> Map.of("id", n)).toList());
        m.put("sinks", sinks.stream().map(n -> Map.of("id", n, "from", Map.of("from", n))).toList());
        return m;
    }
}
