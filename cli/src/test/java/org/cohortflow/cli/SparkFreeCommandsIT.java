package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cohortflow validate}, {@code plan} and {@code run --executor local} load no Spark class (issue 12 item 4).
 * Each runs in a JVM of its own that logs every class it loads ({@code -Xlog:class+load}), on the cli's full class
 * path as Maven wrote it ({@code cli/target/runtime-classpath.txt}: Spark's jars included, as the cli depends on
 * cohortflow-executors-spark); {@code run --executor spark} on the same class path does load Spark, which shows that
 * the log would catch it. And since they need no Spark, the {@code ./cohortflow} launcher starts them on the class
 * path without the Spark runner's jars ({@code cli/target/core-classpath.txt}), where they work as well.
 */
class SparkFreeCommandsIT {
    private static final String NETWORK = "examples/networks/add-ints.yaml";

    @TempDir
    Path dir;

    @Test
    void validateLoadsNoSparkClassWithSparkOnTheClassPath() throws Exception {
        Ran r = java("validate", "runtime-classpath.txt", "validate", NETWORK);
        assertTrue(r.output().contains("valid network"), r.output());
        assertEquals(List.of(), r.spark());
    }

    @Test
    void planLoadsNoSparkClassWithSparkOnTheClassPath() throws Exception {
        Ran r = java("plan", "runtime-classpath.txt", "plan", NETWORK, "--source", "numbers=a:1,b:2");
        assertTrue(r.output().contains("add"), r.output());
        assertEquals(List.of(), r.spark());
    }

    @Test
    void aRunOnTheLocalExecutorLoadsNoSparkClassWithSparkOnTheClassPath() throws Exception {
        Ran r = java("local", "runtime-classpath.txt", run("local"));
        assertEquals("11", Files.readString(dir.resolve("out-local/a.txt")).strip(), r.output());
        assertEquals(List.of(), r.spark());
    }

    @Test
    void aRunOnSparkDoesLoadSparkSoTheLogWouldShowIt() throws Exception {
        Ran r = java("spark", "runtime-classpath.txt", run("spark"));
        assertEquals("12", Files.readString(dir.resolve("out-spark/b.txt")).strip(), r.output());
        assertTrue(r.spark().contains("org.apache.spark.SparkContext"), "Spark classes loaded: " + r.spark().size());
        assertTrue(r.spark().contains("org.cohortflow.executors.spark.SparkExecutorProvider"), r.output());
    }

    @Test
    void theLauncherStartsValidatePlanAndLocalRunsWithoutSparksJarsAndSparkRunsWithThem() throws Exception {
        Ran validate = launcher("launch-validate", "validate", NETWORK);
        assertTrue(validate.output().contains("valid network"), validate.output());
        assertEquals(List.of(), sparkJars(validate.output()), "validate's class path");

        Ran plan = launcher("launch-plan", "plan", NETWORK, "--source", "numbers=a:1,b:2");
        assertEquals(List.of(), sparkJars(plan.output()), "plan's class path");

        Ran local = launcher("launch-local", run("launch-local"));
        assertEquals("11", Files.readString(dir.resolve("out-launch-local/a.txt")).strip(), local.output());
        assertEquals(List.of(), sparkJars(local.output()), "the local run's class path");

        Ran spark = launcher("launch-spark", run("launch-spark"));
        assertEquals("12", Files.readString(dir.resolve("out-launch-spark/b.txt")).strip(), spark.output());
        assertFalse(sparkJars(spark.output()).isEmpty(), "a Spark run gets Spark's jars: " + spark.output());
    }

    /** {@code run} of the example network on the executor {@code name} ends with ({@code local} or {@code spark}). */
    private String[] run(String name) {
        List<String> args = new ArrayList<>(List.of("run", NETWORK, "--source", "numbers=a:1,b:2",
                "--work", dir.resolve("work-" + name).toString(), "--out", dir.resolve("out-" + name).toString(), "--progress", "off"));
        if (name.endsWith("spark")) {
            args.addAll(List.of("--executor", "spark", "--master", "local[1]", "--spark-ui", "off",
                    "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1"));
        } else {
            args.addAll(List.of("--executor", "local"));
        }
        return args.toArray(String[]::new);
    }

    /** What a command printed, and the Spark classes (and cohortflow's Spark runner classes) its JVM loaded. */
    private record Ran(String output, List<String> spark) {}

    /** Runs the cli as the launcher does, with {@code cli/target/CLASSPATH_FILE} as the class path, logging class loads. */
    private Ran java(String name, String classPathFile, String... args) throws IOException, InterruptedException {
        Path root = root();
        Path target = root.resolve("cli/target");
        Path cpFile = target.resolve(classPathFile);
        assertTrue(Files.isRegularFile(cpFile), "the cli is not packaged (" + cpFile + "): run this test with `verify`");
        String jar;
        try (var s = Files.list(target)) {
            jar = s.map(Path::toString).filter(n -> n.matches(".*/cohortflow-cli-[^/]*\\.jar") && !n.contains("-tests"))
                    .findFirst().orElseThrow(() -> new AssertionError("no cohortflow-cli jar in " + target));
        }
        Path log = dir.resolve(name + "-classes.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve(name + "-tmp"))));
        command.addAll(sparkOpens(root));
        command.addAll(List.of("-cp", jar + File.pathSeparator + Files.readString(cpFile).strip(), "org.cohortflow.cli.Cohortflow"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("COHORTFLOW_TOOL_PATH", root.resolve("examples/tools").toString());
        String output = finish(pb, root, name, args);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertFalse(lines.stream().noneMatch(s -> s.contains(" org.cohortflow.cli.Cohortflow ")),
                "the class-load log lists the classes the command loaded");
        List<String> spark = lines.stream().map(SparkFreeCommandsIT::className)
                .filter(c -> c.startsWith("org.apache.spark.") || c.startsWith("org.cohortflow.executors.spark.")).toList();
        return new Ran(output, spark);
    }

    /** Runs the {@code ./cohortflow} launcher as users do, printing the JVM's settings (its class path among them). */
    private Ran launcher(String name, String... args) throws IOException, InterruptedException {
        Path root = root();
        List<String> command = new ArrayList<>(List.of(root.resolve("cohortflow").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // The built jar as it is: a test must not rebuild the project under the build that runs it.
        pb.environment().put("COHORTFLOW_NO_BUILD", "1");
        pb.environment().put("COHORTFLOW_JAVA_OPTS", "-XshowSettings:properties -Djava.io.tmpdir="
                + Files.createDirectories(dir.resolve(name + "-tmp")));
        return new Ran(finish(pb, root, name, args), List.of());
    }

    private String finish(ProcessBuilder pb, Path root, String name, String... args) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".out");
        Process p = pb.directory(root.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("cohortflow " + String.join(" ", args) + " did not end within 5 minutes");
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    /** The Spark jars on the class path that {@code -XshowSettings:properties} printed (one entry a line). */
    private static List<String> sparkJars(String settings) {
        assertTrue(settings.contains("java.class.path = "), "the JVM printed its settings: " + settings);
        return Arrays.stream(settings.split("\n")).map(String::strip)
                .filter(l -> l.matches(".*/spark-core_[^/]*\\.jar|.*/cohortflow-executors-spark[^/]*\\.jar|.*/scala-library-[^/]*\\.jar"))
                .toList();
    }

    /** The JVM options Spark needs when not started by spark-submit, as the launcher reads them from the parent pom. */
    private static List<String> sparkOpens(Path root) throws IOException {
        Matcher m = Pattern.compile("<spark.jvm.opens>(.*)</spark.jvm.opens>").matcher(Files.readString(root.resolve("pom.xml")));
        assertTrue(m.find(), "spark.jvm.opens in the parent pom");
        return List.of(m.group(1).strip().split("\\s+"));
    }

    private static String className(String line) {
        int at = line.indexOf("] ", line.indexOf("class,load"));
        if (at < 0) return "";
        String rest = line.substring(at + 2);
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }

    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("cohortflow")) && Files.isDirectory(p.resolve("cli"))) {
                return p;
            }
        }
        throw new IllegalStateException("no checkout (a folder with the cohortflow launcher) above " + Path.of("").toAbsolutePath());
    }
}
