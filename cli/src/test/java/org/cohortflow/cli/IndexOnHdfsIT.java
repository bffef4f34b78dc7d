package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.cohortflow.dsl.csv.CsvFile;
import org.cohortflow.imaging.synth.SubjectTruth;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cohort discovery on a real (in-process) HDFS: {@code cohortflow index hdfs://...} gives the same index as the
 * local copy of the tree, reads headers only over the wire, reports bad files by URI, and its sample sheet runs
 * the CT radiomics network on Spark, on the HDFS data with its work folder on HDFS, with the same features as the
 * local data on the local executor.
 */
class IndexOnHdfsIT {
    private static final int SUBJECTS = 3;

    @TempDir
    static Path dir;

    private static MiniDFSCluster cluster;
    private static URI hdfs;
    private static Path local;
    private static long treeBytes;
    private static int treeFiles;

    @BeforeAll
    static void cohortOnHdfs() throws IOException {
        // 256 x 256 slices, as small clinical series go, so that the pixel data dominates each file as it does in practice.
        SyntheticCohort cohort = new SyntheticCohort(SynthOptions.defaults().withGrid(256, 256, 24, 0.9, 2.5), 11);
        List<SubjectTruth> truth = cohort.write(dir.resolve("cohort"), SUBJECTS, 2);
        local = SyntheticCohort.dicomRoot(dir.resolve("cohort"));
        Files.write(local.resolve("notes.txt"), "not DICOM\n".getBytes());
        Path firstSlice;
        try (Stream<Path> s = Files.list(local.resolve(truth.get(0).subject()).resolve(SyntheticCohort.CT_DIR))) {
            firstSlice = s.sorted().findFirst().orElseThrow();
        }
        Path truncated = local.resolve(truth.get(1).subject()).resolve("cut.dcm");
        byte[] whole = Files.readAllBytes(firstSlice);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));

        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        FileSystem fs = cluster.getFileSystem();
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path("/cohort"));
        hdfs = URI.create(fs.getUri() + "/cohort");
        try (Stream<Path> s = Files.walk(local)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                treeBytes += Files.size(p);
                treeFiles++;
            }
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.shutdown();
    }

    @Test
    void theHdfsIndexEqualsTheLocalIndexAndReadsOnlyHeaders() throws Exception {
        CohortflowCommandTest.Result onLocal = CohortflowCommandTest.run("index", local.toString(), "--out", dir.resolve("local.csv").toString());
        assertEquals(0, onLocal.code(), onLocal.err());

        long before = hdfsBytesRead();
        CohortflowCommandTest.Result onHdfs = CohortflowCommandTest.run("index", hdfs.toString(), "--out", dir.resolve("hdfs.csv").toString(),
                "--threads", "4");
        long read = hdfsBytesRead() - before;
        assertEquals(0, onHdfs.code(), onHdfs.err());

        List<String> localRows = rows(dir.resolve("local.csv"), local.toString());
        List<String> hdfsRows = rows(dir.resolve("hdfs.csv"), hdfs.toString());
        assertEquals(SUBJECTS * 25, localRows.size());
        assertEquals(localRows, hdfsRows);

        Map<String, String> failures = CsvFile.read(dir.resolve("hdfs-failures.csv")).stream().skip(1)
                .collect(Collectors.toMap(r -> r.cells().get(0), r -> r.cells().get(1)));
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(hdfs + "/notes.txt").contains("not a DICOM file"), failures.toString());
        String cut = failures.entrySet().stream().filter(e -> e.getKey().endsWith("/cut.dcm")).findFirst().orElseThrow().getValue();
        assertTrue(cut.startsWith("truncated DICOM file"), cut);
        assertTrue(onHdfs.err().contains(hdfs + "/notes.txt: "), onHdfs.err());

        // Header-only over the wire: each file costs at most one 16 KiB window, not its 128 KiB of pixels.
        System.out.printf("HDFS index read %d of %d bytes (%.1f%%) for %d files%n", read, treeBytes, 100.0 * read / treeBytes, treeFiles);
        assertTrue(read < treeBytes / 4, "read " + read + " of " + treeBytes + " bytes");
    }

    @Test
    void theSampleSheetFromHdfsRunsTheRadiomicsNetworkWithTheSameFeaturesAsLocalData() throws Exception {
        List<String> sheetOptions = List.of("--modality", "CT", "--series-source", "ct", "--rtstruct-source", "rtstruct",
                "--sheet-column", "roi=GTV");
        Map<String, List<String>> tables = new java.util.LinkedHashMap<>();
        for (String where : List.of("local", "hdfs")) {
            List<String> args = new ArrayList<>(List.of("index", where.equals("local") ? local.toString() : hdfs.toString(),
                    "--out", dir.resolve(where + "-index.csv").toString(), "--sheet", dir.resolve(where + "-samples.csv").toString()));
            args.addAll(sheetOptions);
            CohortflowCommandTest.Result index = CohortflowCommandTest.run(args.toArray(String[]::new));
            assertEquals(0, index.code(), index.err());
            assertTrue(index.out().contains("sample sheet: " + SUBJECTS + " series, " + SUBJECTS + " with an RTSTRUCT"), index.out());

            Path net = withOutputsUnder(dir.resolve(where + "-out"));
            // The HDFS cohort runs the way a cluster would: on Spark, with its work folder on HDFS too.
            List<String> run = where.equals("local")
                    ? List.of("--work", dir.resolve("local-work").toString(), "--executor", "local")
                    : List.of("--work", hdfs.resolve("/work").toString(), "--executor", "spark", "--master", "local[2]",
                            "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1");
            List<String> runArgs = new ArrayList<>(List.of("run", net.toString(), "--samples",
                    dir.resolve(where + "-samples.csv").toString(), "--progress", "off"));
            runArgs.addAll(run);
            CohortflowCommandTest.Result ran = CohortflowCommandTest.run(runArgs.toArray(String[]::new));
            assertEquals(0, ran.code(), ran.out() + ran.err());
            tables.put(where, Files.readAllLines(dir.resolve(where + "-out/cohort-features.csv")));
        }
        assertTrue(cluster.getFileSystem().exists(new org.apache.hadoop.fs.Path("/work/radiomics-dicom-ct/events.jsonl")),
                "the Spark run kept its work folder on HDFS");
        List<String> sheet = Files.readAllLines(dir.resolve("hdfs-samples.csv"));
        assertEquals("sample_id,ct,rtstruct,roi", sheet.get(0));
        assertTrue(sheet.get(1).contains(hdfs + "/synth-0001/CT?series="), sheet.get(1));
        for (int i = 0; i < SUBJECTS; i++) {
            String subject = SyntheticCohort.subjectId(i);
            assertTrue(tables.get("hdfs").stream().anyMatch(l -> l.startsWith(subject + ",")), subject + " has no features");
        }
        assertEquals(tables.get("local"), tables.get("hdfs"));
    }

    /** The index rows with the tree's root cut from the path column, in path order. */
    private static List<String> rows(Path csv, String root) throws IOException {
        return CsvFile.read(csv).stream().skip(1)
                .map(r -> r.cells().get(0).substring(root.length()) + "|" + String.join("|", r.cells().subList(1, r.cells().size())))
                .sorted().toList();
    }

    /** The CT radiomics example, writing below {@code out} instead of /tmp/cohortflow (its settings file kept). */
    private static Path withOutputsUnder(Path out) throws IOException {
        Path example = CohortflowCommandTest.examples().resolve("radiomics/dicom-ct.yaml");
        String yaml = Files.readString(example)
                .replace("file:///tmp/cohortflow/radiomics-dicom-ct/", out.toUri().toString().replaceAll("/?$", "/"))
                .replace("settings/ct-2mm.yaml", example.resolveSibling("settings/ct-2mm.yaml").toString());
        return Files.writeString(dir.resolve(out.getFileName() + ".yaml"), yaml);
    }

    private static long hdfsBytesRead() {
        return FileSystem.getAllStatistics().stream().filter(s -> s.getScheme().equals("hdfs"))
                .mapToLong(FileSystem.Statistics::getBytesRead).sum();
    }
}
