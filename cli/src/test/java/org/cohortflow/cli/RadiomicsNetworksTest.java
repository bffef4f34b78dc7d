package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.biomarkers.table.CsvFeatureReader;
import org.cohortflow.biomarkers.table.FeatureRow;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.ExecutionPolicy;
import org.cohortflow.executors.Executor;
import org.cohortflow.executors.FileLiterals;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.SinkLocations;
import org.cohortflow.executors.ToolSet;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.schedule.TaskForming;
import org.cohortflow.executors.spark.SparkExecutor;
import org.cohortflow.executors.spark.SparkSettings;
import org.cohortflow.executors.tables.ParquetTables;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.Voxels;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.nifti.Nifti;
import org.cohortflow.imaging.nifti.NiftiDataType;
import org.cohortflow.imaging.rtstruct.RtStruct;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;
import org.cohortflow.imaging.synth.SyntheticSubject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The radiomics example networks of {@code examples/radiomics/} on a synthetic cohort (always) and on
 * the four STS patients of the shared test data (when present), on both executors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RadiomicsNetworksTest {
    private static final List<String> STS = List.of("STS_001", "STS_002", "STS_003", "STS_004");
    private static final double RELATIVE = 1e-6;

    private Path dir;
    private Path synth;
    private LocalExecutor local;
    private SparkExecutor spark;

    @BeforeAll
    void start(@TempDir Path folder) {
        dir = folder;
        synth = dir.resolve("synth");
        new SyntheticCohort(SynthOptions.defaults(), 7).write(synth, 3, 2);
        local = new LocalExecutor(2);
        spark = SparkExecutor.create(new SparkSettings("local[2]", 1, Map.of("spark.sql.shuffle.partitions", "2",
                "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1", "spark.ui.enabled", "false")));
    }

    @AfterAll
    void stop() {
        local.close();
        spark.close();
    }

    // ---- data ----

    private List<String> synthSubjects() throws IOException {
        try (var s = Files.list(SyntheticCohort.dicomRoot(synth))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private SourceData synthDicom() throws IOException {
        SourceData.Builder b = SourceData.builder();
        for (String id : synthSubjects()) {
            Path subject = SyntheticCohort.dicomRoot(synth).resolve(id);
            b.add("ct", id, subject.resolve(SyntheticCohort.CT_DIR).toUri().toString());
            b.add("rtstruct", id, subject.resolve(SyntheticCohort.RTSTRUCT_FILE).toUri().toString());
            b.add("roi", id, SyntheticSubject.ROI_NAME);
        }
        return b.build();
    }

    /**
     * The synthetic subjects as NIfTI with the very voxels the DICOM route sees: the series as read and the
     * RTSTRUCT rasterised on it. The image is NIfTI-2, whose double-precision affine keeps the grid exact
     * (NIfTI-1's float32 would move it by micrometres).
     */
    private SourceData synthNifti() throws IOException {
        SourceData.Builder b = SourceData.builder();
        Path out = Files.createDirectories(dir.resolve("synth-nifti"));
        for (String id : synthSubjects()) {
            Path subject = SyntheticCohort.dicomRoot(synth).resolve(id);
            DicomSeries series = DicomSeriesReader.single(subject.resolve(SyntheticCohort.CT_DIR));
            Volume image = DicomSeriesReader.read(series);
            Mask mask = RtStruct.read(subject.resolve(SyntheticCohort.RTSTRUCT_FILE)).toMask(SyntheticSubject.ROI_NAME, series);
            Path imageFile = out.resolve(id + "_image.nii.gz");
            Path maskFile = out.resolve(id + "_mask.nii.gz");
            Nifti.write(imageFile, image, image.voxels() instanceof Voxels.ShortVoxels ? NiftiDataType.INT16 : NiftiDataType.FLOAT64,
                    2, ByteOrder.LITTLE_ENDIAN);
            Nifti.writeMask(maskFile, mask);
            b.add("image", id, imageFile.toUri().toString());
            b.add("mask", id, maskFile.toUri().toString());
            b.add("roi", id, SyntheticSubject.ROI_NAME);
        }
        return b.build();
    }

    private static Path sts() {
        Path p = CohortflowCommandTest.examples().getParent().resolve("../shared/data/sts-cohort").normalize();
        assumeTrue(Files.isDirectory(p), "the STS cohort is not at " + p + " (shared test data); skipping the STS runs");
        return p;
    }

    private static SourceData stsDicom(Path sts) throws IOException {
        SourceData.Builder b = SourceData.builder();
        for (String id : STS) {
            Path ct = sts.resolve("dicom").resolve(id).resolve("CT");
            Path rtstruct;
            try (var s = Files.list(ct.resolve("mask"))) {
                rtstruct = s.filter(p -> p.toString().endsWith(".dcm")).findFirst().orElseThrow();
            }
            b.add("ct", id, ct.resolve("image").toUri().toString());
            b.add("rtstruct", id, rtstruct.toUri().toString());
            b.add("roi", id, "GTV_Mass_CT");
        }
        return b.build();
    }

    private static SourceData stsNifti(Path sts) {
        SourceData.Builder b = SourceData.builder();
        for (String id : STS) {
            Path n = sts.resolve("nifti").resolve(id);
            b.add("image", id, n.resolve("CT_image.nii.gz").toUri().toString());
            b.add("mask", id, n.resolve("CT_mask.nii.gz").toUri().toString());
            b.add("roi", id, "GTV_Mass");
        }
        return b.build();
    }

    // ---- runs ----

    /** What a run of an example network wrote, from its sinks. */
    private record Outputs(FeatureTable csv, ParquetTables.Table parquet, Path folder) {}

    private Outputs run(Executor executor, String network, SourceData data, String name) throws IOException {
        return run(executor, network, data, name, ExecutionPolicy.DEFAULT);
    }

    private Outputs run(Executor executor, String network, SourceData data, String name, ExecutionPolicy execution)
            throws IOException {
        RunReport report = report(executor, network, data, name, execution, false);
        assertEquals(0, report.exitCode(), report.summary());
        Path out = dir.resolve("out").resolve(name);
        Path csv = out.resolve("cohort-features.csv");
        return new Outputs(CsvFeatureReader.read(csv), ParquetTables.read(out.resolve("cohort-features.parquet")), out);
    }

    private RunReport report(Executor executor, String network, SourceData data, String name, ExecutionPolicy execution,
                             boolean resume) throws IOException {
        Path file = CohortflowCommandTest.examples().resolve("radiomics").resolve(network);
        NetworkYaml.Loaded loaded = NetworkYaml.read(file);
        ToolSet tools = ToolSet.load(List.of(CohortflowCommandTest.examples().resolve("radiomics/tools")));
        Path out = dir.resolve("out").resolve(name);
        Network n = FileLiterals.resolve(loaded.network(), tools.registry(), file.getParent());
        // The examples' sinks are relative; each run here writes below its own folder, as run --out does.
        n = new SinkLocations(Optional.of(out.toString()), Map.of()).apply(n, n.id());
        RunSpec spec = RunSpec.of(n, loaded.locator(), tools, data, dir.resolve("work").resolve(name).toUri())
                .withProgress(RunSpec.Progress.OFF, new PrintStream(new ByteArrayOutputStream()))
                .withExecution(execution).withResume(resume);
        return executor.run(spec);
    }

    /** The names of the stored volumes and masks in the job folders of the run {@code name}. */
    private java.util.Set<String> storedImages(String name) throws IOException {
        try (var files = Files.walk(dir.resolve("work").resolve(name))) {
            return files.filter(f -> f.getParent().endsWith("out/volume") || f.getParent().endsWith("out/mask"))
                    .map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    // ---- checks ----

    /** Both executors wrote the cohort table byte for byte alike, as CSV and as Parquet. */
    private static void assertSameTableBytes(Outputs a, Outputs b) throws IOException {
        for (String table : List.of("cohort-features.csv", "cohort-features.parquet")) {
            assertArrayEquals(Files.readAllBytes(a.folder().resolve(table)), Files.readAllBytes(b.folder().resolve(table)), table);
        }
    }

    /** The Parquet table holds the CSV table's rows, value for value. */
    private static void assertParquetMatchesCsv(Outputs o) {
        FeatureTable t = o.csv();
        assertEquals(t.columns(), o.parquet().columns());
        assertEquals(t.rowCount(), o.parquet().rowCount());
        for (int r = 0; r < t.rowCount(); r++) {
            for (int c = 0; c < t.columns().size(); c++) {
                assertEquals(t.value(r, c), o.parquet().value(r, c), "row " + r + " column " + t.columns().get(c).name());
            }
        }
    }

    /** One JSON document per subject, holding that subject's rows of the cohort table. */
    private static void assertSubjectJson(Outputs o, List<String> subjects) throws IOException {
        for (String s : subjects) {
            JsonNode doc = new ObjectMapper().readTree(o.folder().resolve("subjects/" + s + ".json").toFile());
            JsonNode entry = doc.path("samples").get(0);
            assertEquals(s, entry.path("sample").asText());
            long rows = o.csv().rows().stream().filter(r -> r.sample().equals(s)).count();
            assertEquals(rows, entry.path("features").size(), s);
        }
    }

    private static void assertSameFeaturesWithin(FeatureTable expected, FeatureTable actual, double relative) {
        assertEquals(expected.size(), actual.size());
        List<String> off = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            FeatureRow e = expected.rows().get(i);
            FeatureRow a = actual.rows().get(i);
            assertEquals(e.sample() + e.feature().ibsiCode() + e.feature().aggregation().label() + e.feature().name(),
                    a.sample() + a.feature().ibsiCode() + a.feature().aggregation().label() + a.feature().name());
            double x = e.feature().value();
            double y = a.feature().value();
            boolean same = Double.isNaN(x) ? Double.isNaN(y)
                    : Math.abs(x - y) <= relative * Math.max(Math.abs(x), Math.abs(y)) || x == y;
            if (!same) {
                off.add(e.sample() + " " + e.feature().family().shortName() + " " + e.feature().name() + " ("
                        + e.feature().aggregation().label() + "): " + x + " vs " + y);
            }
        }
        assertTrue(off.isEmpty(), off.size() + " features differ by more than " + relative + " relative:\n"
                + String.join("\n", off.subList(0, Math.min(20, off.size()))));
    }

    /** The run's tasks as "SAMPLE: node,node,...", sorted, from the task events of its run folder. */
    private List<String> tasks(String name) throws IOException {
        List<String> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(dir.resolve("work").resolve(name).resolve("radiomics-dicom-ct/events.jsonl"))) {
            JsonNode e = json.readTree(line);
            if (e.path("type").asText().equals("task")) {
                out.add(e.path("sample").asText() + ": " + e.path("detail").asText());
            }
        }
        out.sort(null);
        return out;
    }

    /** One task per subject with its whole chain (image, mask, features, JSON), and one for the cohort table. */
    private static List<String> fusedTasks(List<String> subjects) {
        List<String> out = new ArrayList<>(List.of("all: cohort,cohort_parquet"));
        subjects.forEach(s -> out.add(s + ": image,mask,features,subject_json"));
        out.sort(null);
        return out;
    }

    /** The sink files of two runs are the same bytes: the cohort tables and every subject's JSON. */
    private static void assertSameSinkBytes(Outputs a, Outputs b, List<String> subjects) throws IOException {
        assertSameTableBytes(a, b);
        for (String s : subjects) {
            assertArrayEquals(Files.readAllBytes(a.folder().resolve("subjects/" + s + ".json")),
                    Files.readAllBytes(b.folder().resolve("subjects/" + s + ".json")), s);
        }
    }

    // ---- tests ----

    @Test
    void dicomCtRunsAsOneTaskPerSubjectOnBothExecutorsAndWritesTheBytesOfARunWithOneJobPerTask() throws Exception {
        List<String> subjects = synthSubjects();
        Outputs unfused = run(local, "dicom-ct.yaml", synthDicom(), "synth-unfused",
                ExecutionPolicy.DEFAULT.withFusion(TaskForming.Fusion.NONE));
        Outputs fusedLocal = run(local, "dicom-ct.yaml", synthDicom(), "synth-fused-local");
        Outputs fusedSpark = run(spark, "dicom-ct.yaml", synthDicom(), "synth-fused-spark");

        assertEquals(fusedTasks(subjects), tasks("synth-fused-local"));
        assertEquals(fusedTasks(subjects), tasks("synth-fused-spark"));
        assertEquals(4 * subjects.size() + 2, tasks("synth-unfused").size());
        assertSameSinkBytes(unfused, fusedLocal, subjects);
        assertSameSinkBytes(unfused, fusedSpark, subjects);

        // Read only inside their task, a subject's volume and mask are kept for the cache without gzip; read by
        // another task, gzipped as usual.
        assertEquals(java.util.Set.of("0.nii"), storedImages("synth-fused-local"));
        assertEquals(java.util.Set.of("0.nii"), storedImages("synth-fused-spark"));
        assertEquals(java.util.Set.of("0.nii.gz"), storedImages("synth-unfused"));
        // Resumed without fusion, the cache copies would be read by other tasks: image and mask run again, and their
        // results are stored as usual (a stored value's hash is that of its file, so what reads them runs again too).
        RunReport resumed = report(local, "dicom-ct.yaml", synthDicom(), "synth-fused-local",
                ExecutionPolicy.DEFAULT.withFusion(TaskForming.Fusion.NONE), true);
        assertEquals(0, resumed.exitCode(), resumed.summary());
        Map<String, Integer> cached = new java.util.HashMap<>();
        resumed.nodes().forEach(n -> cached.put(n.node(), n.cached()));
        assertEquals(0, cached.get("image"), resumed.summary());
        assertEquals(0, cached.get("mask"), resumed.summary());
        assertEquals(java.util.Set.of("0.nii.gz"), storedImages("synth-fused-local"));
        assertSameSinkBytes(unfused, fusedLocal, subjects);
    }

    @Test
    void theDicomAndNiftiNetworksGiveIdenticalTablesOnBothExecutorsAndAgreeOnVoxelIdenticalSyntheticInput()
            throws Exception {
        List<String> subjects = synthSubjects();
        Outputs dicomLocal = run(local, "dicom-ct.yaml", synthDicom(), "synth-dicom-local");
        Outputs dicomSpark = run(spark, "dicom-ct.yaml", synthDicom(), "synth-dicom-spark");
        SourceData nifti = synthNifti();
        Outputs niftiLocal = run(local, "nifti-ct.yaml", nifti, "synth-nifti-local");
        Outputs niftiSpark = run(spark, "nifti-ct.yaml", nifti, "synth-nifti-spark");

        assertEquals(dicomLocal.csv().rows(), dicomSpark.csv().rows());
        assertEquals(niftiLocal.csv().rows(), niftiSpark.csv().rows());
        assertSameTableBytes(dicomLocal, dicomSpark);
        assertSameTableBytes(niftiLocal, niftiSpark);
        assertEquals(subjects, dicomLocal.csv().rows().stream().map(FeatureRow::sample).distinct().toList());
        assertTrue(dicomLocal.csv().rows().stream().filter(r -> r.feature().isDefined()).count() > 400 * subjects.size());
        assertSameFeaturesWithin(dicomLocal.csv(), niftiLocal.csv(), RELATIVE);
        for (Outputs o : List.of(dicomLocal, dicomSpark, niftiLocal, niftiSpark)) {
            assertParquetMatchesCsv(o);
            assertSubjectJson(o, subjects);
        }
    }

    @Test
    void theDicomAndNiftiNetworksGiveIdenticalTablesOnBothExecutorsForTheFourStsPatients() throws Exception {
        Path sts = sts();
        Outputs dicomLocal = run(local, "dicom-ct.yaml", stsDicom(sts), "sts-dicom-local");
        Outputs dicomSpark = run(spark, "dicom-ct.yaml", stsDicom(sts), "sts-dicom-spark");
        Outputs unfused = run(local, "dicom-ct.yaml", stsDicom(sts), "sts-dicom-unfused",
                ExecutionPolicy.DEFAULT.withFusion(TaskForming.Fusion.NONE));
        // Each patient's whole chain in one task, with the bytes of a run of one job per task.
        assertEquals(fusedTasks(STS), tasks("sts-dicom-local"));
        assertEquals(fusedTasks(STS), tasks("sts-dicom-spark"));
        assertSameSinkBytes(unfused, dicomLocal, STS);
        assertSameSinkBytes(unfused, dicomSpark, STS);
        Outputs niftiLocal = run(local, "nifti-ct.yaml", stsNifti(sts), "sts-nifti-local");
        Outputs niftiSpark = run(spark, "nifti-ct.yaml", stsNifti(sts), "sts-nifti-spark");

        assertEquals(dicomLocal.csv().rows(), dicomSpark.csv().rows());
        assertEquals(niftiLocal.csv().rows(), niftiSpark.csv().rows());
        assertSameTableBytes(dicomLocal, dicomSpark);
        assertSameTableBytes(niftiLocal, niftiSpark);
        assertEquals(STS, dicomLocal.csv().rows().stream().map(FeatureRow::sample).distinct().toList());
        for (Outputs o : List.of(dicomLocal, niftiSpark)) {
            assertParquetMatchesCsv(o);
            assertSubjectJson(o, STS);
        }
    }

    @Test
    void dcm2niixJoinsTheDicomNetworkAsACommandLineNodeAndGivesTheDicomRoutesFeatures() throws Exception {
        assumeTrue(onPath("dcm2niix"), "dcm2niix is not installed (Debian package dcm2niix; scripts/bootstrap.sh installs it)");
        Outputs dicom = run(local, "dicom-ct.yaml", synthDicom(), "synth-dicom-for-dcm2niix");
        Outputs converted = run(local, "dicom-ct-dcm2niix.yaml", synthDicom(), "synth-dcm2niix");
        assertTrue(Files.isRegularFile(converted.folder().resolve("images/" + synthSubjects().get(0) + ".nii.gz")));
        assertParquetMatchesCsv(converted);
        // dcm2niix stores the affine in float32 and the rows in the opposite order: the same voxels on a grid
        // moved by micrometres, which the 2 mm resampling turns into slightly different ROIs (0.2% of the
        // volume here). So the tables have the same features, and the volumes agree to within 1%.
        assertEquals(dicom.csv().size(), converted.csv().size());
        Map<String, Double> volumes = meshVolumes(dicom.csv());
        meshVolumes(converted.csv()).forEach((subject, v) ->
                assertEquals(volumes.get(subject), v, 0.01 * v, subject + ": mesh volume from dcm2niix's image"));
    }

    private static Map<String, Double> meshVolumes(FeatureTable t) {
        Map<String, Double> out = new java.util.TreeMap<>();
        t.rows().stream().filter(r -> r.feature().ibsiCode().equals("RNU0"))
                .forEach(r -> out.put(r.sample(), r.feature().value()));
        return out;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
