package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.archive.source.ArchiveCredentials;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.dsl.csv.CsvFile;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.Executor;
import org.cohortflow.executors.FileLiterals;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.SinkLocations;
import org.cohortflow.executors.SourceBinding;
import org.cohortflow.executors.ToolSet;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.spark.SparkSettings;
import org.cohortflow.executors.storage.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The archive route end to end against a real Orthanc holding the four STS CT series and their RTSTRUCTs:
 * {@code cohortflow index dicomweb://...} writes the folder route's sample sheet with {@code dicomweb://} URIs,
 * and {@code examples/radiomics/dicomweb-ct.yaml} on that sheet gives the folder route's cohort table on both
 * executors; a rerun reuses every job (hashes from the archive's metadata, nothing fetched).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DicomWebRunIT {
    private static final List<String> STS = List.of("STS_001", "STS_002", "STS_003", "STS_004");

    private Path dir;
    /** The archive the tests talk to; the rerun test swaps in one of its own for its duration. */
    private OrthancServer orthanc;
    private Map<String, String> credentials;

    @BeforeAll
    void start(@TempDir Path folder) {
        dir = folder;
        orthanc = OrthancServer.start(dir.resolve("orthanc"));
        for (String s : STS) orthanc.upload(ArchiveTestData.stsDicom().resolve(s).resolve("CT"));
        orthanc.upload(ArchiveTestData.stsDicom().resolve("STS_001").resolve("MR_T1"));
        credentials = Map.of(ArchiveCredentials.USER, OrthancServer.USER, ArchiveCredentials.PASSWORD, OrthancServer.PASSWORD);
    }

    @AfterAll
    void stop() {
        orthanc.close();
    }

    private record Result(int exit, String out, String err) {}

    private static Result cli(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Cohortflow());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    private List<String> indexArgs(String root, Path sheet, String... more) {
        List<String> a = new ArrayList<>(List.of("index", root, "--out", sheet.resolveSibling(sheet.getFileName() + ".index.csv").toString(),
                "--sheet", sheet.toString(), "--modality", "CT", "--series-source", "ct", "--rtstruct-source", "rtstruct",
                "--sheet-column", "roi=GTV_Mass_CT"));
        a.addAll(List.of(more));
        return a;
    }

    /** The sheet columns dicomweb-ct.yaml needs beyond the folder route's: where results go and with which credentials. */
    private String[] writeBack() throws IOException {
        Path file = dir.resolve("archive-credentials.txt");
        Files.writeString(file, "user=" + OrthancServer.USER + "\npassword=" + OrthancServer.PASSWORD + "\n");
        return new String[] {"--sheet-column", "archive=" + orthanc.dicomWebUri(), "--sheet-column", "credentials=" + file};
    }

    private List<String> withCredentials(List<String> a) {
        List<String> b = new ArrayList<>(a);
        credentials.forEach((k, v) -> b.addAll(List.of("--hadoop", k + "=" + v)));
        return b;
    }

    private static List<List<String>> rows(Path csv) throws IOException {
        return CsvFile.read(csv).stream().map(CsvFile.Row::cells).toList();
    }

    @Test
    void indexingTheArchiveWritesTheFolderSheetWithDicomwebUris() throws IOException {
        Path folderSheet = dir.resolve("folder-sheet.csv");
        Path archiveSheet = dir.resolve("archive-sheet.csv");
        Path stsCt = dir.resolve("sts-ct");
        for (String s : STS) copyTree(ArchiveTestData.stsDicom().resolve(s).resolve("CT"), stsCt.resolve(s).resolve("CT"));
        copyTree(ArchiveTestData.stsDicom().resolve("STS_001").resolve("MR_T1"), stsCt.resolve("STS_001").resolve("MR_T1"));
        Result f = cli(indexArgs(stsCt.toString(), folderSheet));
        assertEquals(0, f.exit(), f.err());
        Result a = cli(withCredentials(indexArgs(orthanc.dicomWebUri().toString(), archiveSheet)));
        assertEquals(0, a.exit(), a.err());
        assertTrue(a.out().contains("sample sheet: 4 series, 4 with an RTSTRUCT"), a.out());
        List<List<String>> fr = rows(folderSheet);
        List<List<String>> ar = rows(archiveSheet);
        assertEquals(fr.get(0), ar.get(0), "same header");
        assertEquals(fr.size(), ar.size());
        for (int i = 1; i < fr.size(); i++) {
            assertEquals(fr.get(i).get(0), ar.get(i).get(0), "sample id");
            assertTrue(ar.get(i).get(1).startsWith(orthanc.dicomWebUri() + "/studies/"), ar.get(i).get(1));
            assertTrue(ar.get(i).get(2).contains("/instances/"), ar.get(i).get(2));
            assertEquals(fr.get(i).get(3), ar.get(i).get(3));
        }
        // The rows of the per-instance index are the folder index's, but for the location column (and the SEG and
        // SR objects the write-back tests of this class may have stored already).
        List<List<String>> fi = rows(dir.resolve("folder-sheet.csv.index.csv"));
        List<List<String>> ai = rows(dir.resolve("archive-sheet.csv.index.csv")).stream()
                .filter(r -> !r.get(5).equals("SEG") && !r.get(5).equals("SR")).toList();
        assertEquals(fi.stream().map(r -> r.subList(1, r.size())).sorted(DicomWebRunIT::compare).toList(),
                ai.stream().map(r -> r.subList(1, r.size())).sorted(DicomWebRunIT::compare).toList());
    }

    @Test
    void aQidoFilterInTheUriNarrowsTheIndex() throws IOException {
        Path sheet = dir.resolve("sts2.csv");
        Result a = cli(withCredentials(indexArgs(orthanc.dicomWebUri() + "?PatientID=STS_002", sheet)));
        assertEquals(0, a.exit(), a.err());
        assertEquals(List.of("STS_002"), rows(sheet).subList(1, 2).stream().map(r -> r.get(0)).toList());
        assertEquals(2, rows(sheet).size());
        Path wide = dir.resolve("dates.csv");
        assertEquals(0, cli(withCredentials(indexArgs(orthanc.dicomWebUri() + "?StudyDate=18000101-29991231", wide))).exit());
        assertEquals(STS.size() + 1, rows(wide).size(), "a date range holding every study");
        Result future = cli(withCredentials(indexArgs(orthanc.dicomWebUri() + "?StudyDate=29000101-29991231", dir.resolve("z.csv"))));
        assertEquals(1, future.exit(), "a date range holding none");
        assertTrue(future.err().contains("StudyDate=29000101-29991231"), future.err());
    }

    @Test
    void wrongCredentialsAndAnEmptyMatchAreClearErrors() {
        Result wrong = cli(indexArgs(orthanc.dicomWebUri().toString(), dir.resolve("x.csv"), "--hadoop",
                ArchiveCredentials.USER + "=" + OrthancServer.USER, "--hadoop", ArchiveCredentials.PASSWORD + "=nope"));
        assertEquals(1, wrong.exit());
        assertTrue(wrong.err().contains("401") && wrong.err().contains(orthanc.dicomWebRoot().toString()), wrong.err());
        Result none = cli(withCredentials(indexArgs(orthanc.dicomWebUri() + "?PatientID=NOBODY", dir.resolve("y.csv"))));
        assertEquals(1, none.exit());
        assertTrue(none.err().contains("PatientID=NOBODY") && none.err().contains("matched no instance"), none.err());
    }

    @Test
    void theRadiomicsNetworkOnTheArchiveGivesTheFolderTableOnBothExecutors() throws IOException {
        Path folderSheet = dir.resolve("run-folder-sheet.csv");
        Path archiveSheet = dir.resolve("run-archive-sheet.csv");
        Path stsCt = dir.resolve("run-sts-ct");
        for (String s : STS) copyTree(ArchiveTestData.stsDicom().resolve(s).resolve("CT"), stsCt.resolve(s).resolve("CT"));
        assertEquals(0, cli(indexArgs(stsCt.toString(), folderSheet)).exit());
        assertEquals(0, cli(withCredentials(indexArgs(orthanc.dicomWebUri().toString(), archiveSheet, writeBack()))).exit());

        try (LocalExecutor local = new LocalExecutor(2);
             SparkExecutor spark = SparkExecutor.create(new SparkSettings("local[2]", 1, Map.of("spark.sql.shuffle.partitions", "2",
                     "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1", "spark.ui.enabled", "false")))) {
            Path fromFolder = run(local, "dicom-ct.yaml", folderSheet, "folder-local", false);
            Path fromArchiveLocal = run(local, "dicomweb-ct.yaml", archiveSheet, "archive-local", false);
            Path fromArchiveSpark = run(spark, "dicomweb-ct.yaml", archiveSheet, "archive-spark", false);
            List<String> expected = Files.readAllLines(fromFolder.resolve("cohort-features.csv"));
            assertEquals(STS.size() + 1, expected.stream().map(l -> l.split(",")[0]).distinct().count(), "a header and 4 subjects");
            assertEquals(expected, Files.readAllLines(fromArchiveLocal.resolve("cohort-features.csv")), "archive, local executor");
            assertEquals(expected, Files.readAllLines(fromArchiveSpark.resolve("cohort-features.csv")), "archive, spark executor");

            // Each subject's SEG and SR went back to the archive once, although two runs stored them.
            org.cohortflow.archive.dicomweb.DicomWebClient archive = new org.cohortflow.archive.dicomweb.DicomWebClient(
                    org.cohortflow.archive.dicomweb.DicomWebSettings.of(orthanc.dicomWebRoot(),
                            org.cohortflow.archive.dicomweb.Auth.basic(OrthancServer.USER, OrthancServer.PASSWORD)));
            for (String modality : List.of("SEG", "SR")) {
                var found = archive.searchSeries(org.cohortflow.archive.dicomweb.QidoQuery.all().with("Modality", modality)
                        .including("NumberOfSeriesRelatedInstances"));
                assertEquals(STS.size(), found.size(), modality + " series");
                for (var series : found) {
                    assertEquals(1, series.integer(org.cohortflow.archive.dicomweb.DicomJson.NUMBER_OF_SERIES_RELATED_INSTANCES).orElseThrow(),
                            modality + " stored once");
                }
            }
            for (String s : STS) {
                String seg = Files.readString(fromArchiveLocal.resolve("archived/" + s + "-seg.txt")).trim();
                assertTrue(seg.startsWith(orthanc.dicomWebUri() + "/studies/"), seg);
                assertEquals(seg, Files.readString(fromArchiveSpark.resolve("archived/" + s + "-seg.txt")).trim(), "same UIDs on rerun");
            }
        }
    }

    @Test
    void aRerunReusesEveryJobOfAnUnchangedSeriesAndRerunsAChangedOne() throws IOException {
        // An archive of its own: this test changes it, and results of a changed series go back to it.
        OrthancServer shared = orthanc;
        orthanc = OrthancServer.start(dir.resolve("orthanc-rerun"));
        try (OrthancServer own = orthanc; LocalExecutor local = new LocalExecutor(2)) {
            own.upload(ArchiveTestData.stsDicom().resolve("STS_003/CT"));
            Path sheet = dir.resolve("rerun-sheet.csv");
            assertEquals(0, cli(withCredentials(indexArgs(orthanc.dicomWebUri().toString(), sheet, writeBack()))).exit());
            run(local, "dicomweb-ct.yaml", sheet, "rerun", false);
            RunReport again = report(local, "dicomweb-ct.yaml", sheet, "rerun", true);
            assertEquals(0, again.exitCode(), again.summary());
            assertEquals(10, again.cached(), "every job reused: " + again.summary());
            assertEquals(again.succeeded(), again.cached(), again.summary());

            // One slice less in the archive: the series' hash (from metadata) changes and its jobs run again.
            Path slice;
            try (var s = Files.list(ArchiveTestData.stsDicom().resolve("STS_003/CT/image"))) {
                slice = s.sorted().findFirst().orElseThrow();
            }
            String sop = org.cohortflow.imaging.index.DicomIndexer.indexFile(slice).sopUid();
            String id = "";
            for (var node : new com.fasterxml.jackson.databind.ObjectMapper().readTree(orthanc.get("/instances?expand"))) {
                if (sop.equals(node.path("MainDicomTags").path("SOPInstanceUID").asText())) id = node.path("ID").asText();
            }
            assertTrue(!id.isEmpty(), "Orthanc holds " + sop);
            orthanc.delete("/instances/" + id);
            try {
                RunReport changed = report(local, "dicomweb-ct.yaml", sheet, "rerun", true);
                assertTrue(changed.cached() < 10 && changed.succeeded() - changed.cached() >= 3,
                        "image, mask and features ran again: " + changed.summary());
            } finally {
                orthanc.upload(slice);
            }
        } finally {
            orthanc = shared;
        }
    }

    @Test
    void aSeriesThatVanishedFromTheArchiveFailsItsSampleWithAClearErrorAndTheOthersRun() throws IOException {
        OrthancServer shared = orthanc;
        orthanc = OrthancServer.start(dir.resolve("orthanc-vanish"));
        try (OrthancServer own = orthanc; LocalExecutor local = new LocalExecutor(2)) {
            own.upload(ArchiveTestData.stsDicom().resolve("STS_001/CT"));
            own.upload(ArchiveTestData.stsDicom().resolve("STS_002/CT"));
            Path sheet = dir.resolve("vanish-sheet.csv");
            assertEquals(0, cli(withCredentials(indexArgs(orthanc.dicomWebUri().toString(), sheet))).exit());
            String gone = rows(sheet).stream().filter(r -> r.get(0).equals("STS_002")).findFirst().orElseThrow().get(1);
            String goneUid = gone.substring(gone.lastIndexOf('/') + 1);
            for (var series : new com.fasterxml.jackson.databind.ObjectMapper().readTree(own.get("/series?expand"))) {
                if (goneUid.equals(series.path("MainDicomTags").path("SeriesInstanceUID").asText())) {
                    own.delete("/series/" + series.path("ID").asText());
                }
            }
            RunReport r = report(local, "dicom-ct.yaml", sheet, "vanish", false);
            assertEquals(1, r.exitCode(), r.summary());
            assertTrue(r.failures().stream().anyMatch(f -> f.sample().equals("STS_002") && f.error().contains(gone)),
                    "the failure names the sample and the series: " + r.failures());
            assertTrue(r.failures().stream().noneMatch(f -> f.sample().equals("STS_001")), r.failures().toString());
            assertTrue(Files.exists(dir.resolve("out/vanish/subjects/STS_001.json")), "the other subject ran to its result");
            assertTrue(!Files.exists(dir.resolve("out/vanish/subjects/STS_002.json")), "nothing stored for the failed subject");
        } finally {
            orthanc = shared;
        }
    }

    @Test
    void anArchiveStoppedBetweenIndexAndRunFailsEverySampleClearlyAndTheRunResumesWhenItIsBack() throws IOException {
        OrthancServer shared = orthanc;
        orthanc = OrthancServer.start(dir.resolve("orthanc-stopped"));
        try (OrthancServer own = orthanc; LocalExecutor local = new LocalExecutor(2)) {
            own.upload(ArchiveTestData.stsDicom().resolve("STS_004/CT"));
            Path sheet = dir.resolve("stopped-sheet.csv");
            assertEquals(0, cli(withCredentials(indexArgs(orthanc.dicomWebUri().toString(), sheet))).exit());
            own.close();
            RunReport down = report(local, "dicom-ct.yaml", sheet, "stopped", false);
            assertEquals(1, down.exitCode(), down.summary());
            assertTrue(down.failures().stream().allMatch(f -> f.sample().equals("STS_004") && f.error().contains("cannot connect")
                    && f.error().contains(orthanc.dicomWebRoot().toString())), down.failures().toString());
            own.restart();
            RunReport back = report(local, "dicom-ct.yaml", sheet, "stopped", true);
            assertEquals(0, back.exitCode(), back.summary());
            assertTrue(Files.exists(dir.resolve("out/stopped/subjects/STS_004.json")));
        } finally {
            orthanc = shared;
        }
    }

    private Path run(Executor executor, String network, Path sheet, String name, boolean resume) throws IOException {
        RunReport r = report(executor, network, sheet, name, resume);
        assertEquals(0, r.exitCode(), r.summary());
        return dir.resolve("out").resolve(name);
    }

    private RunReport report(Executor executor, String network, Path sheet, String name, boolean resume) throws IOException {
        Path file = CohortflowCommandTest.examples().resolve("radiomics").resolve(network);
        NetworkYaml.Loaded loaded = NetworkYaml.read(file);
        ToolSet tools = ToolSet.load(List.of(CohortflowCommandTest.examples().resolve("radiomics/tools")));
        Path out = dir.resolve("out").resolve(name);
        Network n = FileLiterals.resolve(loaded.network(), tools.registry(), file.getParent());
        // The examples' sinks are relative; each run here writes below its own folder, as run --out does.
        n = new SinkLocations(Optional.of(out.toString()), Map.of()).apply(n, n.id());
        SourceData data = new SourceBinding(n, tools.registry().types(), new Storage(credentials)).bind(List.of(), Optional.of(sheet));
        RunSpec spec = RunSpec.of(n, loaded.locator(), tools, data, dir.resolve("work").resolve(name).toUri())
                .withHadoopConf(credentials).withResume(resume)
                .withProgress(RunSpec.Progress.OFF, new PrintStream(new ByteArrayOutputStream()));
        return executor.run(spec);
    }

    private static int compare(List<String> a, List<String> b) {
        return String.join("\u0001", a).compareTo(String.join("\u0001", b));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
