package org.cohortflow.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mission end to end ({@code cohortflow demo --review auto}, issue 19 items 3 and 5), run as a user runs it in
 * a JVM of its own with everything real: the synthetic scanner's C-STORE to the intake's SCP, de-identification,
 * the folder archive, the governor's workflow with the radiomics on Spark, the task service worked through its
 * API, the export. After each run every stored artefact is searched for the synthetic patients' original names
 * and ids.
 */
class MissionDemoIT {
    private static final AttributeTag PATIENT_NAME = new AttributeTag(0x0010, 0x0010);
    private static final AttributeTag PATIENT_ID = new AttributeTag(0x0010, 0x0020);

    @Test
    void everySubjectEndsDoneAndTheExportedCohortTableListsEveryOne(@TempDir Path work) throws Exception {
        DemoRun run = DemoRun.run(work, "--review", "auto", "--subjects", "2");
        assertEquals(0, run.exitCode(), run.output());
        Map<String, String> exported = run.exportedStates();
        assertEquals(2, exported.size(), "one row per subject: " + exported + "\n" + run.output());
        assertTrue(exported.values().stream().allMatch("done"::equals), "every subject done: " + exported + "\n" + run.output());
        assertTrue(exported.keySet().stream().allMatch(s -> s.startsWith("STUDY-")), "pseudonyms only: " + exported);
        JsonNode summary = run.summary();
        assertEquals(2, summary.at("/perState/done").asInt(), summary.toString());
        for (JsonNode e : summary.path("experiments")) {
            assertTrue(e.path("features").asInt() > 100, "each subject has its radiomics features: " + e);
        }
        noOriginalIdentifierIsStored(run);
    }

    @Test
    void aSubjectWhoseRtstructLacksTheRoiGoesToTheFailureBranchWithATaskAndTheOthersFinish(@TempDir Path work) throws Exception {
        DemoRun run = DemoRun.run(work, "--review", "auto", "--subjects", "3", "--corrupt", "1");
        assertEquals(0, run.exitCode(), run.output());
        Map<String, String> exported = run.exportedStates();
        assertEquals(3, exported.size(), "one row per subject: " + exported + "\n" + run.output());
        assertEquals(2, exported.values().stream().filter("done"::equals).count(), exported + "\n" + run.output());
        JsonNode failed = null;
        for (JsonNode e : run.summary().path("experiments")) {
            if (!e.path("state").asText().equals("done")) {
                failed = e;
            }
        }
        assertTrue(failed != null, run.summary().toString());
        assertEquals("excluded", failed.path("state").asText(), failed.toString());
        assertTrue(failed.path("states").toString().contains("\"pipeline_failed\""), "the failure branch: " + failed);
        assertTrue(failed.path("tasks").toString().contains("\"study-inspect\""), "a task to inspect the failed run: " + failed);
        assertEquals(0, failed.path("features").asInt(), failed.toString());
        noOriginalIdentifierIsStored(run);
    }

    /**
     * The security check of issue 19 item 5: no original patient name or id in anything the run stored (databases,
     * archive, pipeline work folders, exports, the log), but for the scanner's own files (the control: they hold
     * them) and the intake's database, whose ID map pairs each original id with its pseudonym by design (checked
     * to hold them too, so the search is known to see into H2 files).
     */
    private static void noOriginalIdentifierIsStored(DemoRun run) throws IOException {
        Path scanner = run.folder().resolve("scanner");
        Set<String> identifiers = new LinkedHashSet<>();
        List<Path> firstFiles = new ArrayList<>();
        try (Stream<Path> s = Files.list(scanner.resolve("dicom"))) {
            for (Path subject : s.sorted().toList()) {
                try (Stream<Path> ct = Files.list(subject.resolve("CT"))) {
                    firstFiles.add(ct.sorted().findFirst().orElseThrow());
                }
            }
        }
        for (Path f : firstFiles) {
            AttributeList l = new AttributeList();
            try {
                l.read(f.toFile());
            } catch (com.pixelmed.dicom.DicomException e) {
                throw new AssertionError("cannot read " + f, e);
            }
            String name = l.get(PATIENT_NAME).getSingleStringValueOrEmptyString();
            String id = l.get(PATIENT_ID).getSingleStringValueOrEmptyString();
            assertTrue(id.startsWith("MRN") && name.contains("^"), "the scanner's made-up identity: " + name + " " + id);
            identifiers.add(name);
            identifiers.add(name.substring(0, name.indexOf('^')));
            identifiers.add(id);
        }
        // the control: the search finds them where they are
        for (Path f : firstFiles) {
            assertTrue(!found(f, identifiers).isEmpty(), "the search must find the originals in the scanner's file " + f);
        }
        List<Path> intakeDatabase = new ArrayList<>();
        List<String> leaks = new ArrayList<>();
        int searched = 0;
        try (Stream<Path> s = Files.walk(run.work())) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                if (f.startsWith(scanner)) {
                    continue;
                }
                if (f.startsWith(run.folder().resolve("services/intake")) && f.getFileName().toString().endsWith(".db")) {
                    intakeDatabase.add(f);
                    continue;
                }
                searched++;
                Set<String> hits = found(f, identifiers);
                if (!hits.isEmpty()) {
                    leaks.add(run.work().relativize(f) + " holds " + hits);
                }
            }
        }
        assertTrue(leaks.isEmpty(), "original identifiers stored: " + leaks);
        assertTrue(searched > 100, "the archive, databases, work folders, export and log were searched: " + searched + " files");
        assertTrue(Files.isRegularFile(run.log()) && Files.size(run.log()) > 0, "the log is among them");
        assertTrue(intakeDatabase.stream().anyMatch(f -> !found(f, identifiers).isEmpty()),
                "the intake's ID map holds the original ids (by design): " + intakeDatabase);
    }

    /** Which of {@code needles} occur in the file's bytes (gzip files decompressed). */
    private static Set<String> found(Path file, Set<String> needles) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
            if (file.getFileName().toString().endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    in.transferTo(all);
                    bytes = all.toByteArray();
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        Set<String> out = new LinkedHashSet<>();
        for (String n : needles) {
            if (text.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }
}
