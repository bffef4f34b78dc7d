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
        // The same index with the headers read by Spark tasks.
        CohortflowCommandTest.Result bySpark = CohortflowCommandTest.run("index", hdfs.toString(), "--out", dir.resolve("spark.csv").toString(),
                "--executor", "spark", "--master", "local[2]", "--threads", "2",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1");
        assertEquals(0, bySpark.code(), bySpark.err());
        assertEquals(Files.readAllLines(dir.resolve("hdfs.csv")), Files.readAllLines(dir.resolve("spark.csv")));
        assertEquals(Files.readAllLines(dir.resolve("hdfs-failures.csv")), Files.readAllLines(dir.resolve("spark-failures.csv")));

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
        List<String> onLocal = radiomics(local.toString(), "local", SUBJECTS,
                List.of("--work", dir.resolve("local-work").toString(), "--executor", "local"));
        // The HDFS cohort runs the way a cluster would: on Spark, with its work folder on HDFS too.
        List<String> onHdfs = radiomics(hdfs.toString(), "hdfs", SUBJECTS,
                List.of("--work", hdfs.resolve("/work").toString(), "--executor", "spark", "--master", "local[2]",
                        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1"));

        assertTrue(cluster.getFileSystem().exists(new org.apache.hadoop.fs.Path("/work/radiomics-dicom-ct/events.jsonl")),
                "the Spark run kept its work folder on HDFS");
        List<String> sheet = Files.readAllLines(dir.resolve("hdfs-samples.csv"));
        assertEquals("sample_id,ct,rtstruct,roi", sheet.get(0));
        assertTrue(sheet.get(1).contains(hdfs + "/synth-0001/CT?series="), sheet.get(1));
        for (int i = 0; i < SUBJECTS; i++) {
            String subject = SyntheticCohort.subjectId(i);
            assertTrue(onHdfs.stream().anyMatch(l -> l.startsWith(subject + ",")), subject + " has no features");
        }
        assertEquals(onLocal, onHdfs);
    }

    @Test
    void seriesThatShareOneFlatHdfsFolderAreStagedApartAndGiveTheSameFeatures() throws Exception {
        // A PACS-export layout: two subjects' slices and structure sets side by side in one folder.
        FileSystem fs = cluster.getFileSystem();
        List<String> subjects = List.of(SyntheticCohort.subjectId(0), SyntheticCohort.subjectId(2));
        for (String subject : subjects) {
            try (Stream<Path> slices = Files.list(local.resolve(subject).resolve(SyntheticCohort.CT_DIR))) {
                for (Path f : slices.toList()) {
                    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()),
                            new org.apache.hadoop.fs.Path("/flat/" + subject + "-" + f.getFileName()));
                }
            }
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.resolve(subject).resolve(SyntheticCohort.RTSTRUCT_FILE).toUri()),
                    new org.apache.hadoop.fs.Path("/flat/" + subject + "-rtstruct.dcm"));
        }
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.resolve("notes.txt").toUri()), new org.apache.hadoop.fs.Path("/flat/notes.txt"));

        List<String> onLocal = radiomics(local.toString(), "ref", SUBJECTS,
                List.of("--work", dir.resolve("ref-work").toString(), "--executor", "local"));
        long flatBytes = fs.getContentSummary(new org.apache.hadoop.fs.Path("/flat")).getLength();
        long before = hdfsBytesRead();
        List<String> flat = radiomics(hdfs.resolve("/flat").toString(), "flat", subjects.size(),
                List.of("--work", dir.resolve("flat-work").toString(), "--executor", "local"));
        long read = hdfsBytesRead() - before;
        System.out.printf("flat folder: index and run read %d bytes from HDFS, %.2f times the folder's %d%n", read,
                (double) read / flatBytes, flatBytes);

        List<String> sheet = Files.readAllLines(dir.resolve("flat-samples.csv"));
        assertTrue(sheet.get(1).contains("/flat?series=") && sheet.get(2).contains("/flat?series="), sheet.toString());
        assertEquals(onLocal.stream().filter(l -> l.startsWith("sample,") || subjects.stream().anyMatch(s -> l.startsWith(s + ","))).toList(),
                flat);
        // Two jobs per subject (image and mask) take the series, and each hashes and stages it: with the whole
        // folder as the series, that alone reads the folder 2 x 2 x subjects times. Reading only the series' own
        // files (and the headers of the rest) must stay below that.
        long wholeFolderEachTime = 2L * 2 * subjects.size() * flatBytes;
        assertTrue(read < wholeFolderEachTime, "read " + read + " bytes, staging whole folders needs " + wholeFolderEachTime);
    }

    /**
     * Indexes {@code root} into a sample sheet of its CT series with their RTSTRUCT, checks it has {@code series}
     * rows, runs the CT radiomics example on it with {@code runOptions}, and returns the cohort feature table's lines.
     */
    private static List<String> radiomics(String root, String name, int series, List<String> runOptions) throws IOException {
        Path sheet = dir.resolve(name + "-samples.csv");
        CohortflowCommandTest.Result index = CohortflowCommandTest.run("index", root, "--out", dir.resolve(name + "-index.csv").toString(),
                "--sheet", sheet.toString(), "--modality", "CT", "--series-source", "ct", "--rtstruct-source", "rtstruct",
                "--sheet-column", "roi=GTV");
        assertEquals(0, index.code(), index.err());
        assertTrue(index.out().contains("sample sheet: " + series + " series, " + series + " with an RTSTRUCT"), index.out());

        List<String> args = new ArrayList<>(List.of("run", CohortflowCommandTest.examples().resolve("radiomics/dicom-ct.yaml")
                .toString(), "--out", dir.resolve(name + "-out").toString(), "--samples", sheet.toString(), "--progress", "off"));
        args.addAll(runOptions);
        CohortflowCommandTest.Result ran = CohortflowCommandTest.run(args.toArray(String[]::new));
        assertEquals(0, ran.code(), ran.out() + ran.err());
        return Files.readAllLines(dir.resolve(name + "-out/cohort-features.csv"));
    }

    /** The index rows with the tree's root cut from the path column, in path order. */
    private static List<String> rows(Path csv, String root) throws IOException {
        return CsvFile.read(csv).stream().skip(1)
                .map(r -> r.cells().get(0).substring(root.length()) + "|" + String.join("|", r.cells().subList(1, r.cells().size())))
                .sorted().toList();
    }

    private static long hdfsBytesRead() {
        return FileSystem.getAllStatistics().stream().filter(s -> s.getScheme().equals("hdfs"))
                .mapToLong(FileSystem.Statistics::getBytesRead).sum();
    }
}
