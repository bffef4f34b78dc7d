package org.cohortflow.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code cohortflow demo ...} run as a user runs it, in a JVM of its own (so that its whole console output is a
 * log file below the work folder, as a deployment's logs are), with the test's class path and the JVM options
 * Spark needs. The results are read from what the run leaves: its summary.json, the exported cohort table and
 * the log.
 *
 * @param exitCode the demo's exit code
 * @param work     the --work folder (holding the log and the demo's folder)
 * @param folder   the demo's folder, {@code WORK/demo-TIMESTAMP}
 * @param log      the demo's console output
 */
record DemoRun(int exitCode, Path work, Path folder, Path log) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs the demo with {@code args} (after {@code demo --work WORK}) and waits for its end (at most 20 minutes). */
    static DemoRun run(Path work, String... args) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path log = work.resolve("demo.log");
        Process p = new ProcessBuilder(command(work, args)).directory(checkout().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("the demo did not end within 20 minutes: " + Files.readString(log));
        }
        Path folder = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--resume")) {
                folder = Path.of(args[i + 1]);
            }
        }
        if (folder == null) {
            try (Stream<Path> s = Files.list(work)) {
                folder = s.filter(f -> f.getFileName().toString().startsWith("demo-")).findFirst()
                        .orElseThrow(() -> new AssertionError("no demo folder in " + work + ": " + text(log)));
            }
        }
        return new DemoRun(p.exitValue(), work, folder, log);
    }

    /** The command line of {@code cohortflow demo --work WORK ARGS} in a JVM of its own. */
    static List<String> command(Path work, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Spark's module opens, as the test JVM got them from the build (the launcher passes the same).
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("-Djdk.reflect")) {
                command.add(a);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.cohortflow.cli.Cohortflow", "demo",
                "--work", work.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** The checkout the test runs in (the folder holding examples/study). */
    static Path checkout() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/study"))) {
                return p;
            }
        }
        throw new IllegalStateException("no examples/study above the working directory");
    }

    /** The demo's console output. */
    String output() {
        return text(log);
    }

    /** The summary the demo wrote. */
    JsonNode summary() throws IOException {
        Path f = folder.resolve("summary.json");
        if (!Files.isRegularFile(f)) {
            throw new AssertionError("no summary.json; the demo printed: " + output());
        }
        return JSON.readTree(f.toFile());
    }

    /** The exported cohort table: subject -> state. */
    Map<String, String> exportedStates() throws IOException {
        Path csv = folder.resolve("export/study.csv");
        if (!Files.isRegularFile(csv)) {
            throw new AssertionError("no exported cohort table " + csv + "; the demo printed: " + output());
        }
        return states(csv);
    }

    /** A cohort table's subjects and states: subject -> state. */
    static Map<String, String> states(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(","));
        int subject = header.indexOf("subject");
        int state = header.indexOf("state");
        Map<String, String> out = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            out.put(cells[subject], cells[state]);
        }
        return out;
    }

    static String text(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no " + file + ")";
        } catch (IOException e) {
            return "(unreadable " + file + ": " + e + ")";
        }
    }
}
