package org.cohortflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.IndexFailure;
import org.cohortflow.imaging.index.IndexResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow index}: cohort discovery over a DICOM folder tree. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Indexes a folder tree of DICOM files by reading their headers only (never the pixel data),",
                "in parallel. Writes one CSV row per DICOM file with the columns",
                "  " + IndexResult.INDEX_HEADER,
                "Files that are not DICOM or cannot be read are reported on stderr and in a second CSV",
                "(path,error) without stopping the index."},
        footer = {"", "Example:", "  cohortflow index /data/cohort --out index.csv",
                "", "Exit codes: 0 indexed (even with unreadable files; see the failures CSV), 1 nothing readable, 2 usage error."})
final class IndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Root folder of the DICOM tree (or a single file).")
    Path root;

    @Option(names = "--out", required = true, paramLabel = "INDEX.csv", description = "Where to write the index.")
    Path out;

    @Option(names = "--failures", paramLabel = "FAILURES.csv",
            description = "Where to write unreadable files (default: INDEX-failures.csv beside the index).")
    Path failures;

    @Option(names = "--threads", paramLabel = "N", description = "Header-reading threads (default: ${DEFAULT-VALUE}).")
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());

    @Override
    public Integer call() {
        if (!Files.exists(root)) {
            spec.commandLine().getErr().println("cohortflow index: " + root + " does not exist");
            return 1;
        }
        long start = System.nanoTime();
        IndexResult result = DicomIndexer.index(root, threads);
        result.writeCsv(out);
        Path failuresCsv = failures != null ? failures
                : out.resolveSibling(out.getFileName().toString().replaceFirst("\\.csv$", "") + "-failures.csv");
        result.writeFailuresCsv(failuresCsv);
        for (IndexFailure f : result.failures()) {
            spec.commandLine().getErr().println(f.path() + ": " + f.error());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf("indexed %d DICOM files (%d series) in %.1f s; %d unreadable (%s)%n",
                result.rows().size(), result.samples().size(), seconds, result.failures().size(), failuresCsv);
        return result.rows().isEmpty() && !result.failures().isEmpty() ? 1 : 0;
    }
}
