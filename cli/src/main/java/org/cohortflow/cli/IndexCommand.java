package org.cohortflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.cohortflow.cli.hadoop.SparkIndex;
import org.cohortflow.cli.hadoop.TreeSpec;
import org.cohortflow.dsl.io.AtomicFile;
import org.cohortflow.executors.tables.ParquetTables;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.FileTree;
import org.cohortflow.imaging.index.IndexFailure;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.SeriesSample;
import org.cohortflow.imaging.pipeline.DicomCohortSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow index}: cohort discovery over a DICOM folder tree, local or on a Hadoop file system. */
@Command(name = "index", mixinStandardHelpOptions = true,
        header = "Indexes a DICOM tree (local or HDFS) and writes sample sheets.",
        description = {"Indexes a tree of DICOM files by reading their headers only (never the pixel data), in parallel. "
                               + "ROOT is a local folder, a file:// or an hdfs:// URI (other Hadoop file systems need their connector on "
                               + "the class path). Writes one CSV row "
                               + "per DICOM file with the columns",
                       "  path,patient_id,study_uid,series_uid,sop_uid,modality,rows,columns,",
                       "  series_description",
                       "where path is the absolute local path, or the URI on other storage. Files that are not DICOM or "
                               + "cannot be read are reported on stderr and in a second CSV (path,error); the index goes on without "
                               + "them.",
                       "",
                       "With --sheet it also writes a sample sheet for 'cohortflow run --samples': a row per image series "
                               + "that passes the filters, with the series' URI and (with --rtstruct-source) the RTSTRUCT that "
                               + "references it. Sample ids are patient ids, made unique with the modality and a number when a "
                               + "patient has more series.",
                       "",
                       "ROOT may also be a DICOMweb archive: dicomweb://HOST:PORT/dicom-web (dicomwebs:// or http(s):// for "
                               + "HTTPS/HTTP), optionally with a QIDO-RS filter such as ?StudyDate=20200101-20201231; the index then "
                               + "comes from QIDO-RS and the sheet holds dicomweb:// URIs that 'run' fetches with WADO-RS "
                               + "(credentials: --hadoop cohortflow.archive.user=U --hadoop cohortflow.archive.password=P, or "
                               + "COHORTFLOW_ARCHIVE_USER/COHORTFLOW_ARCHIVE_PASSWORD/COHORTFLOW_ARCHIVE_TOKEN)."},
        footer = {"",
                  "Examples:",
                  "  cohortflow synth --subjects 2 --out /tmp/index-example",
                  "  cohortflow index /tmp/index-example/dicom \\",
                  "      --out /tmp/index-example/index.csv --sheet /tmp/index-example/samples.csv \\",
                  "      --modality CT --series-source ct --rtstruct-source rtstruct --sheet-column roi=GTV",
                  "  cohortflow run examples/radiomics/dicom-ct.yaml \\",
                  "      --samples /tmp/index-example/samples.csv --run-id index-example --out /tmp/index-example/features",
                  "  cohortflow index hdfs://namenode:8020/cohort --out index.csv --modality CT",
                  "  cohortflow index hdfs://namenode:8020/archive --out index.parquet \\",
                  "      --executor spark --master yarn",
                  "",
                  "Exit codes: 0 indexed (even with unreadable files; see the failures CSV), 1 nothing readable or "
                          + "ROOT missing, 2 usage error."})
final class IndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ROOT", description = "Root of the DICOM tree (or a single file): a local path or a Hadoop URI.")
    String root;

    @Option(names = "--out", required = true, paramLabel = "INDEX.csv",
            description = "Where to write the index (a local file): .csv, or .parquet for Parquet.")
    Path out;

    @Option(names = "--failures", paramLabel = "FAILURES.csv",
            description = "Where to write unreadable files (default: INDEX-failures.csv beside the index).")
    Path failures;

    @Option(names = "--threads", paramLabel = "N",
            description = "Header-reading threads; with --executor spark, per Spark task (default: ${DEFAULT-VALUE}).")
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());

    @Option(names = "--executor", paramLabel = "local|spark", defaultValue = "local",
            description = {"local (default): threads of this process read the headers. spark: the files are listed here and "
                                   + "Spark tasks read their headers (for very large trees on a cluster)."})
    String executor;

    @Mixin
    SparkOptions spark;

    @Option(names = "--hadoop", paramLabel = "KEY=VALUE", description = "A Hadoop setting for ROOT (e.g. fs.defaultFS); repeatable.")
    Map<String, String> hadoopConf = new LinkedHashMap<>();

    @Option(names = "--sheet", paramLabel = "SAMPLES.csv", description = "Also write a sample sheet of the matching series.")
    Path sheet;

    @Option(names = "--modality", paramLabel = "M", split = ",", splitSynopsisLabel = ",",
            description = "Only series of these modalities go into the sheet (e.g. CT, or CT,MR).")
    List<String> modalities = new ArrayList<>();

    @Option(names = "--series-description", paramLabel = "REGEX",
            description = "Only series whose description matches REGEX (case-insensitive, anywhere) go into the sheet.")
    String seriesDescription;

    @Option(names = "--series-source", paramLabel = "ID", defaultValue = "series",
            description = "The sheet column (network source) of the series. Default: ${DEFAULT-VALUE}.")
    String seriesSource;

    @Option(names = "--rtstruct-source", paramLabel = "ID",
            description = "Add a sheet column of this name with the RTSTRUCT that references each series (empty when none).")
    String rtstructSource;

    @Option(names = "--sheet-column", paramLabel = "NAME=VALUE",
            description = "A column with the same value on every row of the sheet (e.g. roi=GTV); repeatable.")
    Map<String, String> sheetColumns = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        FileTree tree;
        TreeSpec treeSpec;
        Predicate<SeriesSample> filter;
        if (ArchiveIndexing.handles(root)) {
            try {
                return ArchiveIndexing.run(new ArchiveIndexing.Request(root, out, failures, sheet, filter(), seriesSource,
                        rtstructSource, sheetColumns, hadoopConf), spec.commandLine().getOut(), err);
            } catch (IllegalArgumentException e) {
                err.println("cohortflow index: " + root + ": " + e.getMessage());
                return 2;
            }
        }
        try {
            if (!executor.equals("local") && !executor.equals("spark")) {
                throw new IllegalArgumentException("--executor must be local or spark, not '" + executor + "'");
            }
            if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1");
            filter = filter();
            treeSpec = TreeSpec.of(root, hadoopConf);
            tree = treeSpec.open();
        } catch (IOException | IllegalArgumentException e) {
            err.println("cohortflow index: " + root + ": " + e.getMessage());
            return 2;
        }
        long start = System.nanoTime();
        IndexResult result;
        List<DicomCohortSource.Sample> samples;
        try {
            result = executor.equals("spark") ? onSpark(tree, treeSpec)
                    : DicomIndexer.index(tree, threads, new ProgressLine(err)::filesRead);
            // Matching series to their RTSTRUCTs reads every RTSTRUCT whole: only when a sheet asks for samples.
            samples = sheet == null ? List.of() : DicomCohortSource.discover(tree, result, filter);
        } catch (ImagingException e) {
            err.println("cohortflow index: " + e.getMessage());
            return 1;
        }
        Path failuresCsv = failures != null ? failures
                : out.resolveSibling(out.getFileName().toString().replaceFirst("(?i)\\.(csv|parquet)$", "") + "-failures.csv");
        Path writing = out;
        try {
            if (out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
                AtomicFile.write(out, tmp -> ParquetTables.write(result.table(), tmp));
            } else {
                AtomicFile.writeText(out, result::writeCsv);
            }
            writing = failuresCsv;
            AtomicFile.writeText(failuresCsv, result::writeFailuresCsv);
            if (sheet != null) {
                writing = sheet;
                AtomicFile.writeText(sheet, w -> DicomCohortSource.writeSampleSheet(w, samples, seriesSource,
                        Optional.ofNullable(rtstructSource), sheetColumns));
            }
        } catch (IOException e) {
            err.println("cohortflow index: cannot write " + writing + ": " + e);
            return 1;
        }
        for (IndexFailure f : result.failures()) err.println(f.location() + ": " + f.error());
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf("indexed %d DICOM files (%d series) in %.1f s; %d unreadable (%s)%n",
                result.rows().size(), result.samples().size(), seconds, result.failures().size(), failuresCsv);
        if (sheet != null) {
            long withRtstruct = samples.stream().filter(s -> s.rtstruct().isPresent()).count();
            spec.commandLine().getOut().printf("sample sheet: %d series%s (%s)%n", samples.size(),
                    rtstructSource == null ? "" : ", " + withRtstruct + " with an RTSTRUCT", sheet);
        }
        return result.rows().isEmpty() && !result.failures().isEmpty() ? 1 : 0;
    }

    /**
     * Lists the tree here and has Spark tasks read the headers. No Spark type appears in this class's signatures (nor
     * its lambdas'): picocli reflects on every command's methods at start-up, and the commands that never run Spark
     * start without its jars.
     */
    private IndexResult onSpark(FileTree tree, TreeSpec treeSpec) {
        return DicomIndexer.index(tree, files -> SparkIndex.index(spark.master(), spark.conf, treeSpec, files, threads));
    }

    /** The sheet's filter; an {@link IllegalArgumentException} for a regular expression that does not compile. */
    private Predicate<SeriesSample> filter() {
        Predicate<SeriesSample> f = s -> true;
        if (!modalities.isEmpty()) f = f.and(SeriesSample.modality(modalities.toArray(String[]::new)));
        if (seriesDescription != null) f = f.and(SeriesSample.seriesDescriptionMatches(seriesDescription));
        return f;
    }

    /** A progress line on stderr for indexes that take a while: at most one every two seconds. */
    private static final class ProgressLine {
        private final PrintWriter err;
        private final long start = System.nanoTime();
        private long last = start;

        ProgressLine(PrintWriter err) {
            this.err = err;
        }

        void filesRead(int done, int total) {
            long now = System.nanoTime();
            if (now - last < 2_000_000_000L || done == total) return;
            last = now;
            err.printf("index: %d/%d files read (%.0f files/s)%n", done, total, done / ((now - start) / 1e9));
            err.flush();
        }
    }
}
