package org.cohortflow.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cohortflow.cli.Cohortflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * Every command the documentation shows runs as written: each {@code ```bash} / {@code ```sh} block of README.md,
 * docs/*.md and examples/*&#47;README.md, and every example in a {@code --help} text, is run through the
 * {@code ./cohortflow} launcher (the built jar), in order, in a scratch copy of the checkout, each with a time limit.
 * Absolute {@code /tmp/} paths in the commands are moved into the scratch folder, so runs of this test never meet
 * each other's (or a reader's) files. A few blocks cannot run here; they are {@link #NOT_RUN}, each with the reason.
 * Docs that come with a check script of their own (which also checks what the commands did) are run through it,
 * so their commands run once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DocCommandsIT {

    /** docs/deploy.md installs into /etc, /opt and PostgreSQL: DeployDocsIT runs it in a scratch root with the shaded jar. */
    private static final String DEPLOY = "run in order by DeployDocsIT (dist module), in a scratch root with the shaded jar, "
            + "a PostgreSQL and an Orthanc of its own";

    /** Blocks and help examples that are not run, with the reason. Keep this short. */
    static final Map<String, String> NOT_RUN = Map.ofEntries(
            Map.entry("README.md#2", "the project's own test command: it would run this test again"),
            Map.entry("docs/archive.md#1", "needs a DICOMweb archive holding a cohort at 127.0.0.1:8042; DicomWebRunIT "
                    + "indexes and runs the radiomics network against a real Orthanc"),
            Map.entry("docs/archive.md#2", "Maven commands that run the test suites, this test among them"),
            Map.entry("docs/cohorts.md#2", "needs an HDFS namenode; IndexOnHdfsIT indexes and runs on a real MiniDFSCluster"),
            Map.entry("docs/cohorts.md#3", "needs a YARN cluster"),
            Map.entry("docs/deploy.md#1", "builds the shaded jar: the build that runs DeployDocsIT (dist module) did"),
            Map.entry("docs/deploy.md#2", DEPLOY),
            Map.entry("docs/deploy.md#3", DEPLOY),
            Map.entry("docs/deploy.md#4", DEPLOY),
            Map.entry("docs/deploy.md#5", DEPLOY),
            Map.entry("docs/deploy.md#6", DEPLOY),
            Map.entry("docs/deploy.md#7", DEPLOY),
            Map.entry("docs/deploy.md#8", DEPLOY),
            Map.entry("docs/tasks.md#1", "starts the task service until it is stopped"),
            Map.entry("docs/tasks.md#2", "the walkthrough: DocsWalkthroughIT (tasks module) runs it against a fresh service"),
            Map.entry("docs/tasks.md#3", "needs a running task service with an admin whose password is demo-password"),
            Map.entry("docs/tasks.md#4", "a Maven command that runs GovernorTasksIT, which the build runs anyway"),
            Map.entry("help:index#4", "needs an HDFS namenode"),
            Map.entry("help:index#5", "needs a YARN cluster"),
            Map.entry("help:demo#1", "the same as README.md#1, which runs"),
            Map.entry("help:demo#2", "MissionDemoIT runs the mission with one corrupt subject"),
            Map.entry("help:demo#3", "serves until it is stopped (a person reviews)"),
            Map.entry("help:serve#1", "starts a service until it is stopped"),
            Map.entry("help:serve#2", "starts a service until it is stopped"),
            Map.entry("help:serve#3", "starts the services until they are stopped"),
            Map.entry("help:tasks create#1", "needs a running task service"),
            Map.entry("help:monitor import#1", "needs a running monitor; docs/monitor.md's check imports a run into one"));

    /** Docs whose own check script runs their blocks (and checks what they did). */
    static final Map<String, List<String>> OWN_CHECK = Map.of(
            "docs/governor.md", List.of("python3", "governance/src/test/docs/check-governor-docs.py"),
            "docs/monitor.md", List.of("bash", "monitor/src/test/docs/check-monitor-docs.sh"),
            "docs/intake.md", List.of("bash", "intake/src/test/docs/check-intake-docs.sh"));

    /** Smaller variants of slow commands, so the whole test stays within a few minutes. */
    static final Map<String, String> SMALLER = Map.of("--subjects 6", "--subjects 2", "--subjects 10", "--subjects 2");

    /** What must hold after a block ran: a file below the scratch folder, or text in its output. */
    static final Map<String, List<String>> EXPECT = Map.of(
            "README.md#1", List.of("out:subjects per state: {done=3}", "out:cohort table"),
            "README.md#3", List.of("out:subjects: 6 ok, 0 failed or missing"),
            "README.md#4", List.of("file:tmp/count-lines.dot", "file:tmp/count-lines/total.txt",
                    "file:tmp/count-lines/total.txt.prov.json", "out:run count-lines of count-lines on spark: succeeded",
                    "out:sink total: file://"),
            "README.md#5", List.of("file:tmp/radiomics/cohort-features.csv", "file:tmp/radiomics/subjects/synth-0002.json"),
            "docs/cohorts.md#1", List.of("file:index.csv"),
            "docs/cohorts.md#4", List.of("file:samples.csv", "file:tmp/cohort-features/cohort-features.parquet"),
            "examples/radiomics/README.md#1", List.of("file:tmp/radiomics/dicom-ct/cohort-features.csv",
                    "file:tmp/radiomics/dcm2niix/cohort-features.csv"));

    /**
     * How long one block or example may take: a guard against a command that hangs, far above what any takes on a
     * loaded machine (the slowest, a radiomics run on Spark, takes under a minute), never a measure of speed.
     */
    private static final long LIMIT_SECONDS = 600;

    private static Path checkout;
    private static Path scratch;

    @BeforeAll
    static void scratchCopy() throws IOException {
        checkout = root();
        // The copy sits in a folder of its own beside a link to the shared test data, so that the docs'
        // ../shared/data paths work in it as they do in a checkout.
        Path outer = Files.createTempDirectory("cohortflow-docs-");
        scratch = Files.createDirectories(outer.resolve("checkout"));
        Path shared = checkout.getParent().resolve("shared");
        if (Files.isDirectory(shared)) {
            Files.createSymbolicLink(outer.resolve("shared"), shared.toRealPath());
        }
        for (String f : List.of("README.md", "cohortflow", "pom.xml")) {
            Files.copy(checkout.resolve(f), scratch.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        for (String d : List.of("docs", "examples", "scripts", "governance/examples", "governance/src/test/docs",
                "monitor/src/test/docs", "intake/src/test/docs", "tasks/examples")) {
            copyTree(checkout.resolve(d), scratch.resolve(d));
        }
        // The launcher runs the built jar with the class path Maven wrote beside it.
        Files.createDirectories(scratch.resolve("cli"));
        Files.createSymbolicLink(scratch.resolve("cli/target"), checkout.resolve("cli/target"));
        Files.createDirectories(scratch.resolve("tmp"));
    }

    @AfterAll
    static void removeScratch() throws IOException {
        if (scratch != null) {
            // Walking does not follow the link to the shared data: only the link itself is deleted.
            try (Stream<Path> s = Files.walk(scratch.getParent())) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void theVersionComesFromTheBuiltJar() throws Exception {
        String version;
        try (Stream<Path> s = Files.list(checkout.resolve("cli/target"))) {
            version = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("cohortflow-cli-.*\\.jar"))
                    .filter(n -> !n.contains("-tests")).findFirst().orElseThrow()
                    .replaceAll("^cohortflow-cli-|\\.jar$", "");
        }
        for (String cmd : List.of("./cohortflow --version", "./cohortflow run --version", "./cohortflow index --version")) {
            Ran r = bash("version", cmd);
            assertEquals(0, r.code(), r.output());
            assertEquals("cohortflow " + version, r.output().strip(), cmd);
        }
    }

    @Test
    @Order(2)
    void everyShellBlockOfTheDocsRunsAsWritten() throws Exception {
        List<String> untracked = untracked();
        List<String> problems = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        for (Path doc : docs()) {
            String name = checkout.relativize(doc).toString();
            if (OWN_CHECK.containsKey(name)) {
                Ran r = run(name, OWN_CHECK.get(name), scratch);
                ran.add(name + " (its check script)");
                if (r.code() != 0) {
                    problems.add(name + ": its check script exited " + r.code() + "\n" + tail(r.output()));
                }
                continue;
            }
            List<String> blocks = blocks(Files.readString(doc));
            for (int i = 0; i < blocks.size(); i++) {
                String id = name + "#" + (i + 1);
                if (NOT_RUN.containsKey(id)) {
                    continue;
                }
                Ran r = bash(id, scratchPaths(blocks.get(i)));
                ran.add(id);
                if (r.code() != 0) {
                    problems.add(id + " exited " + r.code() + ":\n" + blocks.get(i) + "\n--- output:\n" + tail(r.output()));
                    continue;
                }
                problems.addAll(unmet(id, r));
            }
        }
        assertEquals(List.of(), problems, String.join("\n\n", problems));
        assertTrue(ran.size() >= 10, "only " + ran);
        assertEquals(untracked, untracked(), "the commands left files in the checkout itself");
    }

    @Test
    @Order(3)
    void everyExampleOfEveryHelpTextRunsAsWritten() throws Exception {
        Map<String, List<String>> examples = helpExamples();
        List<String> problems = new ArrayList<>();
        int count = 0;
        for (var e : examples.entrySet()) {
            for (int i = 0; i < e.getValue().size(); i++) {
                String id = "help:" + e.getKey() + "#" + (i + 1);
                if (NOT_RUN.containsKey(id)) {
                    continue;
                }
                String cmd = e.getValue().get(i).replaceAll("(^|\\| )cohortflow ", "$1./cohortflow ");
                Ran r = bash(id, scratchPaths(cmd));
                count++;
                if (r.code() != 0) {
                    problems.add(id + " exited " + r.code() + ":\n" + cmd + "\n--- output:\n" + tail(r.output()));
                }
            }
        }
        assertEquals(List.of(), problems, String.join("\n\n", problems));
        assertTrue(count >= 10, "only " + count + " help examples ran: " + examples);
    }

    // ---- the docs ----

    private static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(checkout.resolve("README.md"));
        try (Stream<Path> s = Files.list(checkout.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        try (Stream<Path> s = Files.list(checkout.resolve("examples"))) {
            s.map(p -> p.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** The {@code ```bash} and {@code ```sh} blocks of a Markdown text, in order. */
    static List<String> blocks(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```(?:bash|sh)\\s*\\n(.*?)^```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The examples of every command's help, by command path: lines after "Example(s):", continuations joined. */
    static Map<String, List<String>> helpExamples() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        CommandLine root = Cohortflow.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        collect(root, "", all);
        return all;
    }

    private static void collect(CommandLine c, String path, Map<String, List<String>> into) {
        c.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            String p = path.isEmpty() ? name : path + " " + name;
            List<String> examples = new ArrayList<>();
            boolean in = false;
            StringBuilder current = null;
            for (String line : sub.getCommandSpec().usageMessage().footer()) {
                if (line.matches("Examples?:")) {
                    in = true;
                    continue;
                }
                if (!in) {
                    continue;
                }
                if (!line.startsWith("  ")) {
                    break;
                }
                if (current == null) {
                    // A remark between examples, such as "(on a cluster: ...)", is not a command.
                    if (!line.strip().matches("(cohortflow |echo .*\\| cohortflow ).*")) {
                        continue;
                    }
                    current = new StringBuilder();
                }
                current.append(line.strip().replaceAll("\\\\$", "")).append(' ');
                if (!line.endsWith("\\")) {
                    examples.add(current.toString().strip());
                    current = null;
                }
            }
            if (!examples.isEmpty()) {
                into.put(p, examples);
            }
            collect(sub, p, into);
        });
    }

    private static String scratchPaths(String commands) {
        String s = commands;
        for (var e : SMALLER.entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        return s.replaceAll("(?<![\\w./-])/tmp/", Matcher.quoteReplacement(scratch.resolve("tmp") + "/"));
    }

    private static List<String> unmet(String id, Ran r) {
        List<String> problems = new ArrayList<>();
        for (String e : EXPECT.getOrDefault(id, List.of())) {
            if (e.startsWith("file:") && !Files.exists(scratch.resolve(e.substring(5)))) {
                problems.add(id + ": " + e.substring(5) + " was not written\n" + tail(r.output()));
            }
            if (e.startsWith("out:") && !r.output().contains(e.substring(4))) {
                problems.add(id + ": the output lacks '" + e.substring(4) + "'\n" + tail(r.output()));
            }
        }
        return problems;
    }

    // ---- running ----

    private record Ran(int code, String output) {}

    private static Ran bash(String id, String commands) throws Exception {
        return run(id, List.of("bash", "-euo", "pipefail", "-c", commands), scratch);
    }

    /** Runs a command in {@code dir} with the launcher's build check off, killing it and all it started at the limit. */
    private static Ran run(String id, List<String> command, Path dir) throws Exception {
        Path log = Files.createTempFile(scratch.resolve("tmp"), "block-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("COHORTFLOW_NO_BUILD", "1");
        pb.environment().remove("COHORTFLOW_TOOL_PATH");
        long start = System.nanoTime();
        Process p = pb.start();
        boolean ended = p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
        // Which commands make this test long, in the test's output.
        System.out.printf("%s: %.1f s%n", id, (System.nanoTime() - start) / 1e9);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            fail(id + " did not finish within " + LIMIT_SECONDS + " s:\n" + tail(Files.readString(log, StandardCharsets.UTF_8)));
        }
        // Nothing a block starts in the background may outlive it (the check scripts stop their services).
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        return new Ran(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Files in the checkout that git neither tracks nor ignores: what a command run in the checkout would leave. */
    private static List<String> untracked() throws Exception {
        Process p = new ProcessBuilder("git", "ls-files", "--others", "--exclude-standard").directory(checkout.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out.lines().sorted().toList();
    }

    private static String tail(String s) {
        List<String> lines = s.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("cohortflow")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no checkout (a folder with the cohortflow launcher and docs/) above "
                + Path.of("").toAbsolutePath());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
