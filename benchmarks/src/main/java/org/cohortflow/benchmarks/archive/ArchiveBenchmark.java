package org.cohortflow.benchmarks.archive;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.DicomWebSettings;
import org.cohortflow.archive.dicomweb.QidoQuery;
import org.cohortflow.archive.source.ArchiveCredentials;
import org.cohortflow.archive.source.DicomWebCohort;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.executors.RunRequest;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.Runner;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.SeriesSample;
import org.cohortflow.imaging.pipeline.DicomCohortSource;

/**
 * The archive route against the folder route on the same files (issue 15, "Benchmark"): a real Orthanc on
 * loopback, loaded with the STS cohort and the IBSI CT phantom (13 image series), then
 * <ol>
 *   <li>series fetched: every series read from the folder (bytes) against retrieved with WADO-RS into a folder,
 *       and both read into volumes, median of {@code reps} passes after a warm-up pass (page cache warm on both
 *       sides: Orthanc's storage is on the same disk);</li>
 *   <li>cohort discovery: the folder index (headers) against the QIDO-RS index and RTSTRUCT pairing;</li>
 *   <li>the radiomics network {@code examples/radiomics/dicom-ct.yaml} on the four STS CT series, from the
 *       folder sheet and from the archive sheet, same executor, fresh work folders, after an untimed warm-up run.</li>
 * </ol>
 * Usage: {@code ArchiveBenchmark [reps] [local|spark]}. Writes sinks below ./cohortflow-out/radiomics-dicom-ct/ (the runs' default --out).
 */
public final class ArchiveBenchmark {
    private ArchiveBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String executor = args.length > 1 ? args[1] : "local";
        PrintStream out = System.out;
        Path tmp = Files.createTempDirectory("cohortflow-archive-bench-");
        try (OrthancServer orthanc = OrthancServer.start(tmp.resolve("orthanc"))) {
            long t0 = System.nanoTime();
            int stored = orthanc.upload(ArchiveTestData.stsDicom()) + orthanc.upload(ArchiveTestData.ctPhantomDicom());
            out.printf(Locale.ROOT, "Orthanc %s loaded with %d instances in %.1f s%n", orthanc.dicomWebRoot(), stored, secs(t0));
            DicomWebClient client = new DicomWebClient(DicomWebSettings.of(orthanc.dicomWebRoot(),
                    Auth.basic(OrthancServer.USER, OrthancServer.PASSWORD)));
            IndexResult folderIndex = IndexResult.merge(List.of(DicomIndexer.index(ArchiveTestData.stsDicom(), 2),
                    DicomIndexer.index(ArchiveTestData.ctPhantomDicom(), 2)));
            List<SeriesSample> series = folderIndex.samples(s -> !"RTSTRUCT".equals(s.modality()));
            long bytes = 0;
            for (SeriesSample s : series) for (URI f : s.files()) bytes += Files.size(Path.of(f));

            fetchPass(series, client, tmp, false, false);
            fetchPass(series, client, tmp, true, false);
            List<Double> folderBytes = new ArrayList<>();
            List<Double> wadoBytes = new ArrayList<>();
            List<Double> folderVolumes = new ArrayList<>();
            List<Double> wadoVolumes = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                folderBytes.add(fetchPass(series, client, tmp, false, false));
                wadoBytes.add(fetchPass(series, client, tmp, true, false));
                folderVolumes.add(fetchPass(series, client, tmp, false, true));
                wadoVolumes.add(fetchPass(series, client, tmp, true, true));
            }
            double mb = bytes / 1e6;
            out.printf(Locale.ROOT, "%n%d series, %.1f MB, median of %d passes%n", series.size(), mb, reps);
            out.println("| route | s per pass | series/s | MB/s | folder / route |");
            out.println("|---|---:|---:|---:|---:|");
            row(out, "folder, bytes", median(folderBytes), series.size(), mb, median(folderBytes));
            row(out, "WADO-RS, to files", median(wadoBytes), series.size(), mb, median(folderBytes));
            row(out, "folder, to volumes", median(folderVolumes), series.size(), mb, median(folderVolumes));
            row(out, "WADO-RS, to files, to volumes", median(wadoVolumes), series.size(), mb, median(folderVolumes));

            long i0 = System.nanoTime();
            IndexResult again = IndexResult.merge(List.of(DicomIndexer.index(ArchiveTestData.stsDicom(), 2),
                    DicomIndexer.index(ArchiveTestData.ctPhantomDicom(), 2)));
            List<DicomCohortSource.Sample> folderSamples = DicomCohortSource.discover(org.cohortflow.imaging.index.FileTree.local(ArchiveTestData.root()),
                    again, s -> true);
            double folderIndexS = secs(i0);
            long q0 = System.nanoTime();
            DicomWebCohort cohort = new DicomWebCohort(client, 500);
            IndexResult qido = cohort.index(QidoQuery.all());
            List<DicomWebCohort.Sample> archiveSamples = cohort.discover(qido, s -> true);
            double qidoS = secs(q0);
            out.printf(Locale.ROOT, "%nindex + RTSTRUCT pairing of %d instances: folder %.2f s (%d samples), QIDO-RS %.2f s (%d samples), ratio %.2f%n",
                    qido.rows().size(), folderIndexS, folderSamples.size(), qidoS, archiveSamples.size(), folderIndexS / qidoS);

            Path folderSheet = tmp.resolve("folder.csv");
            Path archiveSheet = tmp.resolve("archive.csv");
            Map<String, String> roi = Map.of("roi", "GTV_Mass_CT");
            List<DicomCohortSource.Sample> cts = DicomCohortSource.discover(ArchiveTestData.stsDicom(), SeriesSample.modality("CT"), 2);
            try (Writer w = Files.newBufferedWriter(folderSheet)) {
                DicomCohortSource.writeSampleSheet(w, cts, "ct", Optional.of("rtstruct"), roi);
            }
            List<DicomWebCohort.Sample> archiveCts = cohort.discover(cohort.index(QidoQuery.all().with("PatientID", "STS_*")), SeriesSample.modality("CT"));
            try (Writer w = Files.newBufferedWriter(archiveSheet)) {
                DicomWebCohort.writeSampleSheet(w, archiveCts, "ct", Optional.of("rtstruct"), roi);
            }
            Map<String, String> creds = Map.of(ArchiveCredentials.USER, OrthancServer.USER, ArchiveCredentials.PASSWORD, OrthancServer.PASSWORD);
            // A first run warms the JVM (and starts nothing that the timed runs reuse: each run has its own session).
            run(folderSheet, tmp.resolve("work-warm-up"), executor, creds, out);
            double archiveRun = run(archiveSheet, tmp.resolve("work-archive"), executor, creds, out);
            double folderRun = run(folderSheet, tmp.resolve("work-folder"), executor, creds, out);
            out.printf(Locale.ROOT, "%nradiomics on %d STS CT series (%s executor): folder %.1f s, DICOMweb %.1f s, folder / DICOMweb %.2f%n",
                    cts.size(), executor, folderRun, archiveRun, folderRun / archiveRun);
        } finally {
            deleteTree(tmp);
        }
    }

    private static double run(Path sheet, Path work, String executor, Map<String, String> creds, PrintStream out) {
        Path network = Path.of("examples/radiomics/dicom-ct.yaml");
        long t = System.nanoTime();
        Runner.Result r = Runner.run(new RunRequest(network, List.of(Path.of("examples/radiomics/tools")), List.of(), Optional.of(sheet),
                executor, Optional.empty(), work.toString(), Optional.empty(), false, 0, 3, Map.of("spark.ui.enabled", "false"),
                creds, RunSpec.Progress.OFF, new PrintStream(java.io.OutputStream.nullOutputStream())));
        double s = secs(t);
        if (r.exitCode() != 0) throw new IllegalStateException("run failed: " + r.report().summary());
        return s;
    }

    /** One pass over every series; returns seconds. */
    private static double fetchPass(List<SeriesSample> series, DicomWebClient client, Path tmp, boolean wado, boolean volume) throws IOException {
        long t = System.nanoTime();
        long sink = 0;
        for (SeriesSample s : series) {
            if (wado) {
                Path folder = tmp.resolve("fetch").resolve(s.seriesUid());
                client.retrieveSeries(s.studyUid(), s.seriesUid(), folder);
                if (volume) sink += DicomSeriesReader.readVolume(folder).voxelCount();
                deleteTree(folder);
            } else if (volume) {
                sink += DicomSeriesReader.readVolume(Path.of(s.folder())).voxelCount();
            } else {
                for (URI f : s.files()) sink += Files.readAllBytes(Path.of(f)).length;
            }
        }
        if (sink < 0) throw new IllegalStateException();
        return secs(t);
    }

    private static void row(PrintStream out, String route, double s, int n, double mb, double folder) {
        out.printf(Locale.ROOT, "| %s | %.3f | %.1f | %.1f | %.2f |%n", route, s, n / s, mb / s, folder / s);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
