package org.cohortflow.imaging.index;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Predicate;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.dicom.DicomFiles;

/**
 * Cohort discovery: indexes every file of a {@link FileTree} (a local folder, or a Hadoop file system through
 * the CLI's adapter) by reading DICOM headers only (stopping before the pixel data), in parallel, without
 * stopping at bad files.
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
    private static final AttributeTag[] INDEX_TAGS = {TagFromName.PatientID, TagFromName.StudyInstanceUID,
        TagFromName.SeriesInstanceUID, TagFromName.SOPInstanceUID, TagFromName.Modality, TagFromName.Rows, TagFromName.Columns,
        TagFromName.SeriesDescription};

    private DicomIndexer() {
    }

    /** Indexes all files under the local folder {@code root} (or {@code root} itself when it is a file). */
    public static IndexResult index(Path root, int parallelism) {
        return index(FileTree.local(root), parallelism);
    }

    /**
     * Indexes all files of {@code tree} with {@code parallelism} threads; folders that cannot be listed are
     * reported as failures. An {@link ImagingException} when the root itself cannot be read.
     */
    public static IndexResult index(FileTree tree, int parallelism) {
        return index(tree, parallelism, (done, total) -> { });
    }

    /**
     * {@link #index(FileTree, int)}, telling {@code progress} how many of the listed files have been read
     * (called from the calling thread, in file order, after each file).
     */
    public static IndexResult index(FileTree tree, int parallelism, Progress progress) {
        requireParallelism(parallelism);
        return index(tree, files -> index(tree, files, parallelism, progress));
    }

    /**
     * Lists {@code tree} here (folders that cannot be listed become failures) and has {@code reader} index the
     * listed files, e.g. Spark tasks reading them where the data is; the listing's failures join the result.
     */
    public static IndexResult index(FileTree tree, Function<List<URI>, IndexResult> reader) {
        List<IndexFailure> unlisted = new ArrayList<>();
        List<URI> files;
        try {
            files = tree.files((uri, why) -> unlisted.add(new IndexFailure(uri, why)));
        } catch (IOException e) {
            throw new ImagingException(tree.root(), "cannot list files: " + e.getMessage(), e);
        }
        IndexResult read = reader.apply(files);
        return unlisted.isEmpty() ? read : IndexResult.merge(List.of(read, new IndexResult(List.of(), unlisted)));
    }

    /** Progress of a long index: {@code done} of {@code total} files read. */
    @FunctionalInterface
    public interface Progress {
        void filesRead(int done, int total);
    }

    /**
     * Indexes exactly {@code files} (already listed, e.g. by another walk or a previous index) with
     * {@code parallelism} threads.
     */
    public static IndexResult index(Collection<Path> files, int parallelism) {
        requireParallelism(parallelism);
        FileTree local = FileTree.local(Path.of("."));
        return index(local, files.stream().map(f -> f.toAbsolutePath().toUri()).toList(), parallelism, (done, total) -> { });
    }

    /**
     * Indexes exactly {@code files} of {@code tree} (a slice of a listing, say, on a Spark executor) with
     * {@code parallelism} threads; each file becomes a row or a failure.
     */
    public static IndexResult indexFiles(FileTree tree, List<URI> files, int parallelism) {
        requireParallelism(parallelism);
        return index(tree, List.copyOf(files), parallelism, (done, total) -> { });
    }

    private static void requireParallelism(int parallelism) {
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
    }

    private static IndexResult index(FileTree tree, List<URI> files, int parallelism, Progress progress) {
        List<IndexRow> rows = new ArrayList<>(files.size());
        List<IndexFailure> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, files.size())), r -> {
            Thread t = new Thread(r, "cohortflow-indexer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Object>> futures = new ArrayList<>(files.size());
            for (URI f : files) futures.add(pool.submit(() -> indexOrFailure(tree, f)));
            int done = 0;
            for (Future<Object> fu : futures) {
                Object o = fu.get();
                if (o instanceof IndexRow r) rows.add(r);
                else failures.add((IndexFailure) o);
                progress.filesRead(++done, files.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagingException(tree.root(), "indexing interrupted", e);
        } catch (ExecutionException e) {
            throw new ImagingException(tree.root(), "indexing failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        rows.sort(Comparator.comparing(IndexRow::location));
        failures.sort(Comparator.comparing(IndexFailure::location));
        return new IndexResult(rows, failures);
    }

    /** Indexes {@code root} and returns the series passing {@code filter} (see {@link SeriesSample}'s factories). */
    public static List<SeriesSample> discover(FileTree root, int parallelism, Predicate<SeriesSample> filter) {
        return index(root, parallelism).samples(filter);
    }

    /** {@link #discover(FileTree, int, Predicate)} of a local folder. */
    public static List<SeriesSample> discover(Path root, int parallelism, Predicate<SeriesSample> filter) {
        return discover(FileTree.local(root), parallelism, filter);
    }

    /** The index row of one local file; an {@link ImagingException} naming the file when it cannot be read. */
    public static IndexRow indexFile(Path file) {
        return row(file.toAbsolutePath().toUri(), DicomFiles.readAttributes(file, INDEX_TAGS));
    }

    /** The index row of one file of {@code tree}; an {@link ImagingException} naming the file when it cannot be read. */
    public static IndexRow indexFile(FileTree tree, URI file) {
        try (SeekableByteChannel ch = tree.open(file)) {
            return row(file, DicomFiles.readAttributes(file, ch, INDEX_TAGS));
        } catch (IOException e) {
            throw new ImagingException(file, "cannot read file: " + e.getMessage(), e);
        }
    }

    private static IndexRow row(URI file, AttributeList h) {
        boolean hasRows = h.get(TagFromName.Rows) != null && h.get(TagFromName.Rows).getVM() > 0;
        boolean hasColumns = h.get(TagFromName.Columns) != null && h.get(TagFromName.Columns).getVM() > 0;
        return new IndexRow(file, DicomFiles.string(h, TagFromName.PatientID), DicomFiles.string(h, TagFromName.StudyInstanceUID),
                DicomFiles.string(h, TagFromName.SeriesInstanceUID), DicomFiles.string(h, TagFromName.SOPInstanceUID),
                DicomFiles.string(h, TagFromName.Modality),
                hasRows ? DicomFiles.integer(h, TagFromName.Rows, 0) : null,
                hasColumns ? DicomFiles.integer(h, TagFromName.Columns, 0) : null,
                DicomFiles.string(h, TagFromName.SeriesDescription));
    }

    private static Object indexOrFailure(FileTree tree, URI f) {
        try {
            return indexFile(tree, f);
        } catch (ImagingException e) {
            // A failure about another file than f (a nested cause) keeps the full message, which names that file.
            return new IndexFailure(f, e.file().filter(u -> !u.equals(f)).map(u -> e.getMessage()).orElse(e.reason()));
        } catch (RuntimeException | StackOverflowError e) {
            // A parser bug on one odd file must not stop the cohort; report it like any other bad file.
            return new IndexFailure(f, e.toString());
        }
    }
}
