package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.executors.SourceBinding.SourceArgument;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.storage.SinkTarget;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sample ids come from users; no id, however crafted, makes a run write or delete outside a sink's folder. */
class SafeOutputsTest {
    @TempDir
    Path dir;

    private static final String COPY = """
            network: copy
            sources:
              texts: {type: TextFile}
            nodes:
              count: {tool: examples/CountLines:1.0, inputs: {text: texts}}
            sinks:
              copies: {from: texts, url: "%s/out/{sample_id}{ext}"}
              lines: {from: count.lines, url: "%s/lines/{sample_id}.txt"}
            """;

    private NetworkYaml.Loaded network() {
        String base = dir.toUri().toString().replaceAll("/$", "");
        return NetworkYaml.read(COPY.formatted(base, base), "copy.yaml");
    }

    private SourceBinding binding(NetworkYaml.Loaded n) {
        return new SourceBinding(n.network(), TypeRegistry.load(), new Storage(Map.of()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"..", ".", "../victim", "a/b", "a\\\\b", "\"a\nb\"", "\"tab\there\""})
    void sampleIdsThatNameAnotherFolderOrBreakALineAreRefusedWithTheSheetRow(String id) {
        Path victim = Fixtures.write(dir.resolve("victim.txt"), "precious\n");
        Fixtures.write(dir.resolve("in/a.txt"), "1\n");
        Path sheet = Fixtures.write(dir.resolve("sheet.csv"), "sample_id,texts\nok,in/a.txt\n" + id + ",in/a.txt\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> binding(network()).bind(List.of(), Optional.of(sheet)));
        assertTrue(e.getMessage().startsWith(sheet + ":3: "), e.getMessage());
        assertTrue(e.getMessage().contains("sample id"), e.getMessage());
        assertTrue(Files.exists(victim));
    }

    @Test
    void aDuplicateSampleIdInOneSheetIsAnErrorNamingBothRows() {
        Fixtures.write(dir.resolve("in/a.txt"), "1\n");
        Path sheet = Fixtures.write(dir.resolve("sheet.csv"), "sample_id,texts\np1,in/a.txt\np2,in/a.txt\np1,in/a.txt\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> binding(network()).bind(List.of(), Optional.of(sheet)));
        assertEquals(sheet + ":4: duplicate sample id 'p1' (first on line 2); each sample needs its own row", e.getMessage());
    }

    @Test
    void aFileNameWithANewlineGivesNoSampleIdAndTheErrorNamesTheFile() throws Exception {
        Fixtures.write(dir.resolve("in/good.txt"), "1\n");
        Fixtures.write(dir.resolve("in/bad\nname.txt"), "1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> binding(network())
                .bind(List.of(SourceArgument.parse("texts=" + dir.resolve("in") + "/*.txt")), Optional.empty()));
        assertTrue(e.getMessage().contains("control character (U+000A)"), e.getMessage());
        assertTrue(e.getMessage().contains("source 'texts'"), e.getMessage());
    }

    @Test
    void idsGivenInCodeAreCheckedToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SourceData.builder().add("texts", "..", "/x"));
        assertEquals("source 'texts': sample id '..' is not allowed: it names a folder", e.getMessage());
    }

    @Test
    void oddButHarmlessIdsAreWrittenUnderTheirOwnNamesInsideTheSinkFolder() throws Exception {
        Path victimDir = Files.createDirectories(dir.resolve("out-victim"));
        Fixtures.write(victimDir.resolve("keep.txt"), "keep\n");
        SourceData.Builder b = SourceData.builder();
        for (String id : List.of("a b", "a?b", "a#b", "100%", "..x", "é")) {
            b.add("texts", id, Fixtures.write(dir.resolve("in").resolve("f" + Math.abs(id.hashCode()) + ".txt"), id + "\n").toString());
        }
        NetworkYaml.Loaded n = network();
        RunReport r;
        try (LocalExecutor local = new LocalExecutor(2)) {
            r = local.run(RunSpec.of(n.network(), n.locator(), Fixtures.tools(), b.build(), dir.resolve("work").toUri()));
        }
        assertEquals(0, r.exitCode(), r.summary() + r.failures() + r.missing() + r.sinkProblems());
        try (var s = Files.list(dir.resolve("out"))) {
            assertEquals(List.of("..x.txt", "100%.txt", "a b.txt", "a#b.txt", "a?b.txt", "é.txt"),
                    s.map(p -> p.getFileName().toString()).filter(f -> !f.endsWith(".prov.json")).sorted().toList());
        }
        assertEquals("a?b\n", Files.readString(dir.resolve("out/a?b.txt")));
        assertEquals("1\n", Files.readString(dir.resolve("lines/a#b.txt")));
        assertEquals(List.of("keep.txt"), Files.list(victimDir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aTargetIsAlwaysStrictlyBelowItsSinksFolder() {
        String t = "file:///data/out/{sample_id}{ext}";
        assertEquals(URI.create("file:///data/out/"), SinkTarget.base(t));
        assertEquals(URI.create("file:///data/out/a%20b.nii"), SinkTarget.resolve(t, Map.of("sample_id", "a b", "ext", ".nii")));
        assertEquals(URI.create("file:///data/out/a%3Fb"), SinkTarget.resolve(t, Map.of("sample_id", "a?b", "ext", "")));
        for (String bad : List.of("..", "../victim", "a/../../x", ".")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SinkTarget.resolve("file:///data/out/{sample_id}", Map.of("sample_id", bad)), bad);
            assertTrue(e.getMessage().contains("would name another folder"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SinkTarget.resolve("file:///data/out/{sample_id}", Map.of("sample_id", "")));
        assertTrue(e.getMessage().contains("is not below the sink's folder file:///data/out/"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SinkTarget.resolve("out/{sample_id}", Map.of("sample_id", "a")));
        assertTrue(e.getMessage().contains("is relative; resolve it against an output folder first"), e.getMessage());
        assertFalse(SinkTarget.resolve("/data/out/{sample_id}.txt", Map.of("sample_id", "a#b")).toString().contains("#"));
    }
}
