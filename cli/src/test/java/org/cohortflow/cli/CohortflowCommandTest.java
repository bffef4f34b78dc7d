package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cohortflow.dsl.BuildVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The {@code cohortflow} command as a user runs it, on the repository's examples. */
class CohortflowCommandTest {

    record Result(int code, String out, String err) {}

    static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/networks"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/ folder above the working directory");
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cohortflow.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String tools() {
        return "--tools=" + examples().resolve("tools");
    }

    @Test
    void validateAcceptsEveryExampleNetwork() throws Exception {
        List<String> args = new ArrayList<>(List.of("validate", tools()));
        try (var s = Files.list(examples().resolve("networks"))) {
            s.sorted().forEach(p -> args.add(p.toString()));
        }
        Result r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("add-ints.yaml: valid network"), r.out());
    }

    @Test
    void validateRejectsAnInvalidNetworkWithLocatedErrorsAndExitCodeOne(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                network: bad
                sources:
                  x: {type: Float}
                nodes:
                  add:
                    tool: basic/AddInt:1.0
                    inputs: {left: x}
                    parameters: {right: two}
                """);
        Result r = run("validate", tools(), bad.toString());
        assertEquals(1, r.code());
        assertEquals(List.of(
                bad + ":7:20: type mismatch: input 'left' of node 'add' expects Int but source 'x' produces Float",
                bad + ":8:25: parameter 'right' of node 'add' value 'two' is not a valid Int: 'two' is not an integer"),
                r.err().lines().toList());
    }

    @Test
    void usageErrorsExitWithTwo() {
        Result r = run("validate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required parameter: 'FILE.yaml'"), r.err());
        assertEquals(2, run("validate", "--frobnicate", "x.yaml").code());
    }

    @Test
    void withoutArgumentsTheUsageGoesToStderrAndTheExitCodeIsTwo() {
        Result r = run();
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("Usage: cohortflow"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMistypedCommandOrOptionGetsASuggestion() {
        Result r = run("rnu");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Did you mean: cohortflow run?"), r.err());
        r = run("valdiate", "x.yaml");
        assertTrue(r.err().contains("Did you mean: cohortflow validate?"), r.err());
        r = run("run", "x.yaml", "--wrok", "/tmp/w");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Did you mean: --work?"), r.err());
    }

    @Test
    void everyCommandAndSubCommandPrintsTheBuildsVersion() {
        CommandLine root = Cohortflow.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<List<String>> paths = new ArrayList<>();
        collect(root, new ArrayList<>(), paths);
        assertTrue(paths.size() >= 15, paths.toString());
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--version");
            Result r = run(args.toArray(String[]::new));
            assertEquals(0, r.code(), path + ": " + r.err());
            assertEquals("cohortflow " + BuildVersion.version(), r.out().strip(), String.join(" ", path));
        }
    }

    private static void collect(CommandLine c, List<String> path, List<List<String>> into) {
        c.getSubcommands().forEach((name, sub) -> {
            // A group whose own options are required (users --service NAME) must be given them before its
            // sub-commands: "cohortflow users --version" is asked there, not below.
            if (name.equals("help") || !sub.getCommandSpec().mixinStandardHelpOptions()
                    || c.getCommandSpec().options().stream().anyMatch(o -> o.required())) {
                return;
            }
            List<String> p = new ArrayList<>(path);
            p.add(name);
            into.add(p);
            collect(sub, p, into);
        });
    }

    /**
     * picocli wraps each description element to the terminal; an element that stops mid-sentence and goes on in the
     * next element is a hand-wrapped line, which breaks mid-sentence on any other width.
     */
    @Test
    void helpTextsAreNotHandWrapped() {
        CommandLine root = Cohortflow.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> wrapped = new ArrayList<>();
        checkWrapping(root, wrapped);
        assertEquals(List.of(), wrapped);
    }

    private static void checkWrapping(CommandLine c, List<String> wrapped) {
        var spec = c.getCommandSpec();
        List<String[]> texts = new ArrayList<>();
        texts.add(spec.usageMessage().description());
        texts.add(spec.usageMessage().footer());
        spec.options().forEach(o -> texts.add(o.description()));
        spec.positionalParameters().forEach(p -> texts.add(p.description()));
        for (String[] lines : texts) {
            for (int i = 0; i + 1 < lines.length; i++) {
                String a = lines[i];
                String b = lines[i + 1];
                boolean prose = !a.isBlank() && !a.startsWith(" ") && !b.isBlank() && !b.startsWith(" ");
                if (prose && !a.strip().matches(".*[.:!?)]$")) {
                    wrapped.add(spec.qualifiedName() + ": '" + a + "' / '" + b + "'");
                }
            }
        }
        c.getSubcommands().values().forEach(sub -> checkWrapping(sub, wrapped));
    }

    @Test
    void theSameToolFolderGivenTwiceIsOneFolderAndTwoFilesDefiningOneToolAreBothNamed(@TempDir Path dir) throws Exception {
        Path examplesTools = examples().resolve("tools");
        Result r = run("tools", "--tools", examplesTools.toString(), "--tools", examplesTools.resolve("../tools").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("examples/CountLines:1.0"), r.out());

        Path copy = Files.copy(examplesTools.resolve("count-lines.yaml"), dir.resolve("my-count-lines.yaml"));
        r = run("tools", "--tools", examplesTools.toString(), "--tools", dir.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("tool examples/CountLines:1.0 is defined twice: in "
                + examplesTools.resolve("count-lines.yaml") + " and in " + copy), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"validate", "describe", "tools", "plan"})
    void everyCommandExplainsItselfWithAnExample(String command) {
        Result r = run(command, "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Usage: cohortflow " + command), r.out());
        assertTrue(r.out().contains("Example"), r.out());
    }

    @Test
    void describeShowsPortsTypesLinksAndDimensions() {
        Result r = run("describe", tools(), examples().resolve("networks/count-lines.yaml").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("count  (examples/CountLines:1.0)  dimensions [texts]"), r.out());
        assertTrue(r.out().contains("in  values       Number       1-*   <- count.lines (collapse texts)"), r.out());
    }

    @Test
    void toolsListsJavaAndCommandLineToolsWithTheirPorts() {
        Result r = run("tools", tools());
        assertEquals(0, r.code());
        assertTrue(r.out().contains("basic/AddInt:1.0  [java]  adds two integers"), r.out());
        assertTrue(r.out().contains("examples/CountLines:1.0  [command]"), r.out());
        assertTrue(r.out().contains("in  text         TextFile"), r.out());
        assertTrue(run("tools", "--types").out().contains("Number"));
    }

    @Test
    void planBindsFilesAndValuesAndWritesDot(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "1\n2\n");
        Files.writeString(dir.resolve("b.txt"), "3\n");
        Path dot = dir.resolve("plan.dot");
        Result r = run("plan", tools(), examples().resolve("networks/count-lines.yaml").toString(),
                "--source", "texts=" + dir + "/*.txt", "--dot", dot.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("network count-lines: 3 jobs in 2 stages"), r.out());
        assertTrue(r.out().contains("  all: values=[count/a.lines, count/b.lines]"), r.out());
        assertTrue(Files.readString(dot).contains("\"count/b\" -> \"total/all\";"));
    }

    @Test
    void planReadsASampleSheetAndReportsAMissingSample(@TempDir Path dir) throws Exception {
        Path sheet = Files.writeString(dir.resolve("samples.csv"), "sample_id,numbers,factors\ns1,1,2\ns2,3,\n");
        Path net = Files.writeString(dir.resolve("pairs.yaml"), """
                network: pairs
                sources:
                  numbers: {type: Float}
                  factors: {type: Float}
                nodes:
                  multiply:
                    tool: basic/Multiply:1.0
                    inputs: {a: numbers, b: factors}
                sinks:
                  products: {from: multiply.product, url: "file:///tmp/{sample_id}.txt"}
                """);
        Result r = run("plan", net.toString(), "--samples", sheet.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("s2: a=[numbers[s2]] b=[]  MISSING: input 'b' has no sample 's2' from factors"), r.out());
    }

    @Test
    void planWithoutDataForASourceSaysWhichSource() {
        Result r = run("plan", examples().resolve("networks/add-ints.yaml").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("add-ints.yaml:5:3: source 'numbers' has no data bound to it"), r.err());
    }

    @Test
    void indexWritesOneRowPerDicomFileAndReportsUnreadableFilesWithoutStopping(@TempDir Path dir) throws Exception {
        Path phantom = examples().getParent().resolve("../shared/data/ibsi-ct-phantom/dicom").normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(phantom),
                "shared test data not found at " + phantom + "; the index test needs the IBSI CT phantom");
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("notes.txt"), "not a DICOM file");
        Path out = dir.resolve("index.csv");
        Result bad = run("index", tree.toString(), "--out", out.toString());
        assertEquals(1, bad.code(), "a tree with nothing readable fails");
        assertTrue(bad.err().contains("notes.txt"), bad.err());

        Result r = run("index", phantom.toString(), "--out", out.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("path,patient_id,study_uid,series_uid,sop_uid,modality,rows,columns,series_description", lines.get(0));
        assertTrue(lines.size() > 60, "expected the 60 CT slices and the RTSTRUCT, found " + (lines.size() - 1));
        assertTrue(lines.stream().anyMatch(l -> l.contains(",RTSTRUCT,")), "no RTSTRUCT row");
        assertTrue(r.out().startsWith("indexed " + (lines.size() - 1) + " DICOM files"), r.out());
        assertEquals(List.of("path,error"), Files.readAllLines(dir.resolve("index-failures.csv")));
    }

    @Test
    void validateRejectsEveryMalformedExampleWithExactlyItsExpectedMessages() throws Exception {
        List<Path> files;
        try (var s = Files.list(examples().resolve("malformed"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path f : files) {
            List<String> expected = Files.readAllLines(f).stream().filter(l -> l.startsWith("# expect: "))
                    .map(l -> f + ":" + l.substring("# expect: ".length())).toList();
            Result r = run("validate", f.toString());
            assertEquals(1, r.code(), f.toString());
            assertEquals(expected, r.err().lines().toList(), f.toString());
        }
    }
}
