package org.cohortflow.imaging.index;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.dicom.DicomFiles;

/**
 * Cohort discovery: indexes every file under a folder by reading DICOM headers only (stopping before the
 * pixel data), in parallel, without stopping at bad files.
 *
 * <p>Every regular file is tried; the ones that are not DICOM, are truncated or cannot be parsed become
 * {@link IndexFailure}s with a message naming the file, and the rest become {@link IndexRow}s. Typical use:
 *
 * <pre>{@code
 * IndexResult result = DicomIndexer.index(Path.of("cohort"), 4);
 * result.writeCsv(Path.of("index.csv"));
 * result.writeFailuresCsv(Path.of("index-failures.csv"));
 * List<SeriesSample> cts = result.samples(SeriesSample.modality("CT"));
 * }</pre>
 */
public final class DicomIndexer {
    private DicomIndexer() {
    }

    /**
     * Indexes all files under {@code root} (or {@code root} itself when it is a file) with {@code parallelism}
     * threads. Paths in the result are {@code root}-based (absolute when {@code root} is).
     */
    public static IndexResult index(Path root, int parallelism) {
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
        List<IndexFailure> failures = new ArrayList<>();
        List<Path> files = listFiles(root, failures);
        return index(files, failures, parallelism, root);
    }

    /**
     * Indexes exactly {@code files} (already listed, e.g. by another walk or a previous index) with
     * {@code parallelism} threads.
     */
    public static IndexResult index(Collection<Path> files, int parallelism) {
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
        return index(List.copyOf(files), new ArrayList<>(), parallelism, null);
    }

    private static IndexResult index(List<Path> files, List<IndexFailure> failures, int parallelism, Path root) {
        List<IndexRow> rows = new ArrayList<>(files.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, files.size())), r -> {
            Thread t = new Thread(r, "cohortflow-indexer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Object>> futures = new ArrayList<>(files.size());
            for (Path f : files) futures.add(pool.submit(() -> indexOrFailure(f)));
            for (Future<Object> fu : futures) {
                Object o = fu.get();
                if (o instanceof IndexRow r) rows.add(r);
                else failures.add((IndexFailure) o);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagingException(root, "indexing interrupted");
        } catch (ExecutionException e) {
            throw new ImagingException(root, "indexing failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        rows.sort(Comparator.comparing(r -> r.path().toString()));
        failures.sort(Comparator.comparing(f -> f.path().toString()));
        return new IndexResult(rows, failures);
    }

    /** Indexes {@code root} and returns the series passing {@code filter} (see {@link SeriesSample}'s factories). */
    public static List<SeriesSample> discover(Path root, int parallelism, Predicate<SeriesSample> filter) {
        return index(root, parallelism).samples(filter);
    }

    /** The index row of one file; an {@link ImagingException} naming the file when it cannot be read. */
    public static IndexRow indexFile(Path file) {
        AttributeList h = DicomFiles.readAttributes(file, TagFromName.PatientID, TagFromName.StudyInstanceUID,
                TagFromName.SeriesInstanceUID, TagFromName.SOPInstanceUID, TagFromName.Modality, TagFromName.Rows, TagFromName.Columns,
                TagFromName.SeriesDescription);
        String sop = DicomFiles.string(h, TagFromName.SOPInstanceUID);
        boolean hasRows = h.get(TagFromName.Rows) != null && h.get(TagFromName.Rows).getVM() > 0;
        boolean hasColumns = h.get(TagFromName.Columns) != null && h.get(TagFromName.Columns).getVM() > 0;
        return new IndexRow(file, DicomFiles.string(h, TagFromName.PatientID), DicomFiles.string(h, TagFromName.StudyInstanceUID),
                DicomFiles.string(h, TagFromName.SeriesInstanceUID), sop, DicomFiles.string(h, TagFromName.Modality),
                hasRows ? DicomFiles.integer(h, TagFromName.Rows, 0) : null,
                hasColumns ? DicomFiles.integer(h, TagFromName.Columns, 0) : null,
                DicomFiles.string(h, TagFromName.SeriesDescription));
    }

    private static Object indexOrFailure(Path f) {
        try {
            return indexFile(f);
        } catch (ImagingException e) {
            // The path of the failing file may differ from f only for nested causes; the row's own path column names it.
            return new IndexFailure(f, e.path().filter(p -> !p.equals(f)).map(p -> e.getMessage()).orElse(e.reason()));
        } catch (RuntimeException | StackOverflowError e) {
            // A parser bug on one odd file must not stop the cohort; report it like any other bad file.
            return new IndexFailure(f, e.toString());
        }
    }

    private static List<Path> listFiles(Path root, List<IndexFailure> failures) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) files.add(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    failures.add(new IndexFailure(file, "cannot read: " + exc));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new ImagingException(root, "cannot walk folder: " + e, e);
        }
        if (files.isEmpty() && failures.isEmpty() && !Files.exists(root)) {
            throw new ImagingException(root, "no such file or folder");
        }
        files.sort(Comparator.comparing(Path::toString));
        return files;
    }
}
