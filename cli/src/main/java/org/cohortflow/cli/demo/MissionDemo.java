package org.cohortflow.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.cohortflow.archive.dimse.DimsePeer;
import org.cohortflow.imaging.synth.SyntheticCohort;
import org.cohortflow.server.Service;

/**
 * The mission in one command ({@code cohortflow demo}): a synthetic scanner sends DICOM CT + RTSTRUCT by
 * C-STORE to the intake of the four services running in this JVM; the intake de-identifies and archives them
 * and makes an experiment per study at the governor, which moves each through the example study's workflow
 * (tasks for people, radiomics on Spark, export of the cohort table). With auto-review the demo answers the
 * tasks itself and ends with a summary; otherwise it keeps serving for a person to review in the viewer.
 */
public final class MissionDemo {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The workflow's callback (and variable) that brings each subject's radiomics features to the governor. */
    static final String FEATURES = "features";

    /**
     * What to run.
     *
     * @param checkout   the cohortflow checkout (the workflow's network paths are relative to it)
     * @param study      the study's folder (examples/study: workflow, intake profile, task templates)
     * @param folder     the demo's folder (created)
     * @param subjects   subjects the scanner sends
     * @param corrupt    of which the last ones have an RTSTRUCT without the study's ROI
     * @param seed       the synthetic cohort's seed
     * @param autoReview answer the tasks and stop at the end, or serve until stopped
     * @param firstPort  the first service's port, 0 for ephemeral ports
     * @param executor   spark or local: where the governor runs pipelines
     * @param master     the Spark master
     * @param timeout    how long the flow may take before the demo gives up (auto-review only)
     * @param resume     start the services of the demo in {@code folder} again (after a crash or kill) instead of a
     *                   new demo: the scanner has sent already, the services carry on where they stopped
     */
    public record Options(Path checkout, Path study, Path folder, int subjects, int corrupt, long seed, boolean autoReview, int firstPort,
                          String executor, String master, Duration timeout, boolean resume) {}

    private final Options options;
    private final Map<String, Service> available;
    private final PrintWriter out;
    private final long start = System.nanoTime();
    /** How many subjects the demo waits for. */
    private int expected;

    public MissionDemo(Options options, Map<String, Service> available, PrintWriter out) {
        this.options = options;
        this.available = available;
        this.out = out;
    }

    /**
     * Runs the demo. With auto-review: 0 when every experiment reached a final state and the cohort table lists
     * them all, 1 otherwise. Without: serves until {@code stop} is released (the JVM's shutdown).
     */
    public int run(CountDownLatch stop) throws Exception {
        Path folder = options.folder();
        JsonNode workflow = new YAMLMapper().readTree(options.study().resolve("workflow.yaml").toFile());
        Set<String> finalStates = finalStates(workflow);
        List<Stage> stages = new ArrayList<>();
        SyntheticScanner scanner = null;
        long t = System.nanoTime();
        if (options.resume()) {
            expected = SyntheticCohort.readTruth(folder.resolve("scanner").resolve(SyntheticCohort.TRUTH_CSV)).size();
            say("cohortflow demo: resuming the demo in %s (%d subjects, sent by the scanner before)", folder, expected);
        } else {
            Files.createDirectories(folder);
            expected = options.subjects();
            say("cohortflow demo: %d synthetic subjects (%d corrupt) from a scanner through intake, governor, tasks and monitor, "
                    + "in %s", options.subjects(), options.corrupt(), folder);
            scanner = SyntheticScanner.prepare(folder.resolve("scanner"), options.subjects(), options.corrupt(),
                    roi(workflow), options.seed(), Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
            stages.add(new Stage("synthesise cohort (scanner)", seconds(t)));
        }

        t = System.nanoTime();
        try (DemoServices services = options.resume() ? DemoServices.resume(available, folder, this::sayLine)
                : DemoServices.start(available, new DemoServices.Settings(options.checkout(), options.study(), folder,
                        options.firstPort(), options.executor(), options.master()), this::sayLine)) {
            DemoServices.Layout layout = services.layout();
            stages.add(new Stage("start services", seconds(t)));
            where(layout);
            RestClient governor = layout.service("governor").admin();
            RestClient tasksAsReviewer = RestClient.withToken(layout.service("tasks").url(), layout.reviewerToken());

            try (AutoReviewer reviewer = options.autoReview() ? AutoReviewer.start(tasksAsReviewer, this::sayLine) : null) {
                Map<String, Instant> lastStore = new HashMap<>();
                if (scanner != null) {
                    t = System.nanoTime();
                    DimsePeer intake = new DimsePeer(DemoServices.INTAKE_AET, "127.0.0.1", layout.dicomPort());
                    for (SyntheticScanner.Patient p : scanner.patients()) {
                        var outcome = scanner.send(p, intake);
                        lastStore.put(p.patientId(), Instant.now());
                        say("scanner: C-STORE of %s's study (%d objects%s) to %s: %d stored", p.subject(), p.files().size(),
                                p.corrupt() ? ", RTSTRUCT without the ROI" : "", intake, outcome.completed());
                    }
                    stages.add(new Stage("C-STORE to the intake", seconds(t)));
                }

                if (!options.autoReview()) {
                    say("serving: review the tasks in the viewer at %s as user '%s' (password %s); Ctrl-C stops",
                            layout.service("tasks").url(), DemoServices.REVIEWER, layout.reviewerPassword());
                    watch(governor, finalStates, null, stop, Duration.ofDays(3650));
                    return 0;
                }
                t = System.nanoTime();
                StudyProgress end = watch(governor, finalStates, reviewer, stop, options.timeout());
                boolean settled = end.settled(expected);
                Path table = layout.export().resolve(DemoServices.STUDY + ".csv");
                boolean exportCurrent = settled && awaitExport(table, end);
                if (settled && !exportCurrent) {
                    say("the cohort table %s does not list every experiment in its final state", table);
                }
                stages.add(new Stage("workflow (intake to last final state)", seconds(t)));
                Map<String, String> pseudonyms = pseudonyms(layout);
                int code = summary(layout, governor, end, reviewer, stages, table, lastStore, pseudonyms, settled);
                return exportCurrent ? code : 1;
            }
        }
    }

    /** Polls the governor until every expected experiment is in a final state, printing each change. */
    private StudyProgress watch(RestClient governor, Set<String> finalStates, AutoReviewer reviewer, CountDownLatch stop,
                                Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        String last = "";
        boolean announced = false;
        StudyProgress p = StudyProgress.read(governor, DemoServices.STUDY, finalStates);
        while (System.nanoTime() < end && stop.getCount() > 0) {
            p = StudyProgress.read(governor, DemoServices.STUDY, finalStates);
            String line = p.line(expected);
            if (!line.equals(last)) {
                say("%s", line);
                last = line;
            }
            if (reviewer != null) {
                reviewer.check();
            }
            if (p.settled(expected)) {
                if (reviewer != null) {
                    return p;
                }
                if (!announced) {
                    say("every experiment is in a final state; still serving (Ctrl-C stops)");
                    announced = true;
                }
            }
            stop.await(1, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (reviewer != null && !p.settled(expected)) {
            say("the flow did not settle within %s: %s", limit, p.line(expected));
        }
        return p;
    }

    /**
     * Waits (a minute at most) for the cohort table to list every experiment in the final state the governor
     * reports; false when it does not. The count of rows is not enough: each experiment entering a final state writes the table again,
     * and a table written while another experiment was still under review has its row, in its earlier state.
     */
    private boolean awaitExport(Path table, StudyProgress end) throws IOException, InterruptedException {
        Map<String, String> expected = new HashMap<>();
        end.experiments().forEach(e -> expected.put(e.subject(), e.state()));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(table) && exportedStates(table).equals(expected)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** The cohort table's subject -> state (its first columns are study, subject, experiment, state). */
    static Map<String, String> exportedStates(Path table) throws IOException {
        List<String> lines = Files.readAllLines(table);
        Map<String, String> out = new HashMap<>();
        if (lines.isEmpty()) {
            return out;
        }
        List<String> header = List.of(lines.get(0).split(",", -1));
        int subject = header.indexOf("subject");
        int state = header.indexOf("state");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (subject >= 0 && state >= 0 && cells.length > Math.max(subject, state)) {
                out.put(cells[subject], cells[state]);
            }
        }
        return out;
    }

    /** The workflow's final states: where an experiment waits for nobody but a person with a manager's role. */
    static Set<String> finalStates(JsonNode workflow) {
        Set<String> out = new HashSet<>();
        workflow.path("states").properties().forEach(e -> {
            if (e.getValue().path("final").asBoolean(false)) {
                out.add(e.getKey());
            }
        });
        return out;
    }

    /**
     * The ROI name the workflow's pipelines look for (the first pipeline callback's literal {@code roi} source),
     * which the scanner's RTSTRUCTs must carry; {@code GTV}, the synthetic cohort's own, when none says.
     */
    static String roi(JsonNode workflow) {
        for (JsonNode state : workflow.path("states")) {
            for (JsonNode callback : state.path("callbacks")) {
                JsonNode roi = callback.at("/args/sources/roi");
                if (callback.path("type").asText().equals("pipeline") && roi.isTextual()
                        && !roi.asText().startsWith("scan:") && !roi.asText().startsWith("var:")) {
                    return roi.asText();
                }
            }
        }
        return "GTV";
    }

    /** Original PatientID -> pseudonym, from the intake's ID map (admin only; the read is audited there). */
    private static Map<String, String> pseudonyms(DemoServices.Layout layout) {
        RestClient intake = layout.service("intake").admin();
        Map<String, String> out = new HashMap<>();
        for (JsonNode row : intake.get("/api/v1/idmap")) {
            out.put(row.path("original").asText(), row.path("pseudonym").asText());
        }
        return out;
    }

    private void where(DemoServices.Layout layout) {
        say("services (user admin, password %s on each):", layout.adminPassword());
        for (String name : List.of("intake", "governor", "tasks", "monitor")) {
            DemoServices.Endpoint e = layout.service(name);
            say("  %-8s %s   data %s", name, e.url(), e.data());
        }
        say("  intake DICOM C-STORE SCP: AE %s at 127.0.0.1:%d; archive (folder) %s", DemoServices.INTAKE_AET,
                layout.dicomPort(), layout.archive());
        // Printed up front: without --review auto there is no summary at the end to say where the export went.
        say("  cohort table (export) %s", layout.export().resolve(DemoServices.STUDY + ".csv"));
        say("  reviewer at the task service: user '%s', password %s", DemoServices.REVIEWER, layout.reviewerPassword());
    }

    private int summary(DemoServices.Layout layout, RestClient governor, StudyProgress end, AutoReviewer reviewer,
                        List<Stage> stages, Path table, Map<String, Instant> lastStore, Map<String, String> pseudonyms,
                        boolean settled) throws IOException {
        Map<String, Instant> storeBySubject = new HashMap<>();
        lastStore.forEach((id, at) -> {
            if (pseudonyms.containsKey(id)) {
                storeBySubject.put(pseudonyms.get(id), at);
            }
        });
        Map<String, List<Double>> inState = new LinkedHashMap<>();
        Map<String, List<Double>> compute = new java.util.TreeMap<>();
        List<Double> storeToFeatures = new ArrayList<>();
        Map<String, Integer> featuresPerSubject = new LinkedHashMap<>();
        Map<String, String> whyNotDone = new LinkedHashMap<>();
        Map<String, List<String>> paths = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> callbacks = new LinkedHashMap<>();
        for (StudyProgress.Experiment e : end.experiments()) {
            JsonNode actions = governor.get("/api/v1/experiments/" + e.id() + "/actions");
            List<String> path = new ArrayList<>();
            actions.forEach(a -> path.add(a.path("to").asText()));
            paths.put(e.subject(), path);
            for (int i = 0; i + 1 < actions.size(); i++) {
                Instant in = StudyProgress.instant(actions.get(i).path("at"));
                Instant outAt = StudyProgress.instant(actions.get(i + 1).path("at"));
                inState.computeIfAbsent(actions.get(i).path("to").asText(), k -> new ArrayList<>())
                        .add(Duration.between(in, outAt).toMillis() / 1000.0);
            }
            Instant firstFeatures = null;
            List<Map<String, Object>> executions = new ArrayList<>();
            callbacks.put(e.subject(), executions);
            for (JsonNode c : governor.get("/api/v1/experiments/" + e.id() + "/callbacks")) {
                executions.add(Map.of("name", c.path("name").asText(), "type", c.path("type").asText(),
                        "result", c.path("result").asText(""), "attempts", c.path("attempts").asInt()));
                if (c.path("type").asText().equals("pipeline") && c.path("result").asText().equals("success")) {
                    Instant s = StudyProgress.instant(c.path("started"));
                    Instant f = StudyProgress.instant(c.path("finished"));
                    if (s != null && f != null) {
                        compute.computeIfAbsent(c.path("name").asText(), k -> new ArrayList<>())
                                .add(Duration.between(s, f).toMillis() / 1000.0);
                        // the features reach the governor with the pipeline callback that sets the 'features' variable
                        if (c.path("name").asText().equals(FEATURES)) {
                            firstFeatures = firstFeatures == null || f.isBefore(firstFeatures) ? f : firstFeatures;
                        }
                    }
                }
            }
            Instant stored = storeBySubject.get(e.subject());
            if (firstFeatures != null && stored != null) {
                storeToFeatures.add(Duration.between(stored, firstFeatures).toMillis() / 1000.0);
            }
            featuresPerSubject.put(e.subject(), features(governor, e.id()));
            if (!e.state().equals("done")) {
                whyNotDone.put(e.subject(), lastProblem(governor, e.id()));
            }
        }
        int exported = Files.isRegularFile(table) ? Files.readAllLines(table).size() - 1 : 0;

        say("");
        say("subjects per state: %s", end.perState());
        for (StudyProgress.Experiment e : end.experiments()) {
            say("  %-12s %-16s features %4d%s", e.subject(), e.state(), featuresPerSubject.get(e.subject()),
                    whyNotDone.getOrDefault(e.subject(), "").isEmpty() ? "" : "   (" + whyNotDone.get(e.subject()) + ")");
        }
        say("tasks answered by the auto-review%s: %d", options.resume() ? " since the resume" : "", reviewer.answered().size());
        say("time per stage:");
        for (Stage s : stages) {
            say("  %-42s %8.2f s", s.name(), s.seconds());
        }
        say("  time in each workflow state (mean / max over experiments):");
        inState.forEach((state, times) -> say("    %-40s %8.2f s %8.2f s  (%d)", state, mean(times),
                times.stream().mapToDouble(Double::doubleValue).max().orElse(0), times.size()));
        say("  pipeline runs that succeeded, per workflow callback (mean / max):");
        compute.forEach((name, times) -> say("    %-40s %8.2f s %8.2f s  (%d)", name, mean(times),
                times.stream().mapToDouble(Double::doubleValue).max().orElse(0), times.size()));
        say("  %-42s %8.2f s %8.2f s  (%d)", "last C-STORE to features at the governor", mean(storeToFeatures),
                storeToFeatures.stream().mapToDouble(Double::doubleValue).max().orElse(0), storeToFeatures.size());
        say("  %-42s %8.2f s", "total", seconds(start));
        say("where everything is:");
        say("  cohort table   %s (%d rows)", table, exported);
        say("  scanner        %s (the original DICOM, with the patients' names and ids)", options.folder().resolve("scanner"));
        say("  archive        %s (de-identified)", layout.archive());
        say("  services       %s (H2 databases, the governor's pipeline runs under governor/runs)", options.folder().resolve("services"));
        say("  governor       %s   monitor %s", layout.service("governor").url(), layout.service("monitor").url());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("subjects", expected);
        json.put("resumed", options.resume());
        json.put("corrupt", options.corrupt());
        json.put("perState", end.perState());
        json.put("settled", settled);
        json.put("exportedRows", exported);
        json.put("cohortTable", table.toString());
        Map<String, Double> stageTimes = new LinkedHashMap<>();
        stages.forEach(s -> stageTimes.put(s.name(), s.seconds()));
        json.put("stages", stageTimes);
        List<Map<String, Object>> experiments = new ArrayList<>();
        for (StudyProgress.Experiment e : end.experiments()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("subject", e.subject());
            m.put("experiment", e.label());
            m.put("state", e.state());
            m.put("states", paths.get(e.subject()));
            m.put("tasks", reviewer.answered().stream().filter(a -> a.subject().equals(e.subject()))
                    .map(AutoReviewer.Answered::template).toList());
            m.put("features", featuresPerSubject.get(e.subject()));
            m.put("callbacks", callbacks.get(e.subject()));
            m.put("problem", whyNotDone.getOrDefault(e.subject(), ""));
            experiments.add(m);
        }
        json.put("experiments", experiments);
        json.put("pipelineSeconds", compute);
        json.put("storeToFeaturesSeconds", storeToFeatures);
        json.put("totalSeconds", seconds(start));
        JSON.writeValue(options.folder().resolve("summary.json").toFile(), json);
        say("  summary        %s", options.folder().resolve("summary.json"));
        out.flush();
        return settled && exported >= expected ? 0 : 1;
    }

    /** The message of the experiment's last callback that did not succeed, or "". */
    private static String lastProblem(RestClient governor, long experiment) {
        String problem = "";
        for (JsonNode c : governor.get("/api/v1/experiments/" + experiment + "/callbacks")) {
            String result = c.path("result").asText("");
            if (!result.isEmpty() && !result.equals("success")) {
                String message = c.path("message").asText("");
                problem = c.path("name").asText() + " " + result + (message.isEmpty() ? "" : ": "
                        + (message.length() > 160 ? message.substring(0, 160) + "..." : message));
            }
        }
        return problem;
    }

    /** How many features the subject's feature file (its 'features' variable) holds; 0 without one. */
    private static int features(RestClient governor, long experiment) {
        JsonNode vars = governor.get("/api/v1/experiments/" + experiment + "/variables");
        JsonNode f = vars.path("features");
        String location = f.isTextual() ? f.asText() : f.path("value").asText("");
        if (location.isEmpty()) {
            return 0;
        }
        try {
            Path file = location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
            if (!Files.isRegularFile(file)) {
                return 0;
            }
            return countNumbers(JSON.readTree(file.toFile()));
        } catch (IOException | IllegalArgumentException e) {
            return 0;
        }
    }

    private static int countNumbers(JsonNode n) {
        if (n.isNumber()) {
            return 1;
        }
        int c = 0;
        for (JsonNode child : n) {
            c += countNumbers(child);
        }
        return c;
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private record Stage(String name, double seconds) {}

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void say(String format, Object... args) {
        sayLine(String.format(Locale.ROOT, format, args));
    }

    private synchronized void sayLine(String line) {
        out.printf(Locale.ROOT, "[%6.1f s] %s%n", seconds(start), line);
        out.flush();
    }
}
