package org.cohortflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.cohortflow.archive.dicomweb.ArchiveException;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.DicomWebSettings;
import org.cohortflow.archive.dicomweb.QidoQuery;
import org.cohortflow.archive.source.ArchiveCredentials;
import org.cohortflow.archive.source.DicomWebCohort;
import org.cohortflow.archive.source.DicomWebRef;
import org.cohortflow.dsl.io.AtomicFile;
import org.cohortflow.executors.tables.ParquetTables;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.SeriesSample;

/**
 * {@code cohortflow index} on a DICOMweb archive ({@code dicomweb://HOST[:PORT]/ROOT[?QIDO]},
 * {@code dicomwebs://...} or {@code http(s)://.../dicom-web}): the index comes from QIDO-RS (no file is read),
 * the sample sheet names series and RTSTRUCTs by {@code dicomweb://} URIs that {@code cohortflow run} stages
 * with WADO-RS. The URI's query string is a QIDO-RS filter on the instances indexed (e.g.
 * {@code ?PatientID=STS_*&StudyDate=20200101-20201231}); {@code /studies/UID} restricts the index to one study.
 */
final class ArchiveIndexing {
    private ArchiveIndexing() {
    }

    /** Whether {@code root} names an archive rather than a file tree. */
    static boolean handles(String root) {
        return DicomWebRef.looksLikeArchive(root);
    }

    /** The index options {@link IndexCommand} passes on. */
    record Request(String root, Path out, Path failures, Path sheet, Predicate<SeriesSample> filter, String seriesSource,
                   String rtstructSource, Map<String, String> sheetColumns, Map<String, String> settings) {}

    static int run(Request r, PrintWriter out, PrintWriter err) {
        DicomWebRef ref;
        QidoQuery query;
        try {
            URI uri = URI.create(r.root());
            ref = DicomWebRef.parse(uri);
            query = query(uri, ref);
        } catch (IllegalArgumentException e) {
            err.println("cohortflow index: " + r.root() + ": " + e.getMessage());
            return 2;
        }
        long start = System.nanoTime();
        DicomWebClient client = new DicomWebClient(DicomWebSettings.of(ref.httpRoot(), ArchiveCredentials.resolve(r.settings())));
        DicomWebCohort cohort = new DicomWebCohort(client, 500);
        IndexResult index;
        List<DicomWebCohort.Sample> samples;
        try {
            index = cohort.index(query);
            if (index.rows().isEmpty()) {
                err.println("cohortflow index: " + ref.rootUri() + ": the query " + query + " matched no instance");
                return 1;
            }
            samples = r.sheet() == null ? List.of() : cohort.discover(index, r.filter());
        } catch (ArchiveException e) {
            err.println("cohortflow index: " + e.getMessage());
            return 1;
        }
        Path failuresCsv = r.failures() != null ? r.failures()
                : r.out().resolveSibling(r.out().getFileName().toString().replaceFirst("(?i)\\.(csv|parquet)$", "") + "-failures.csv");
        Path writing = r.out();
        try {
            if (r.out().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
                AtomicFile.write(r.out(), tmp -> ParquetTables.write(index.table(), tmp));
            } else {
                AtomicFile.writeText(r.out(), index::writeCsv);
            }
            writing = failuresCsv;
            AtomicFile.writeText(failuresCsv, index::writeFailuresCsv);
            if (r.sheet() != null) {
                writing = r.sheet();
                AtomicFile.writeText(r.sheet(), w -> DicomWebCohort.writeSampleSheet(w, samples, r.seriesSource(),
                        Optional.ofNullable(r.rtstructSource()), r.sheetColumns()));
            }
        } catch (IOException e) {
            err.println("cohortflow index: cannot write " + writing + ": " + e);
            return 1;
        }
        out.printf("indexed %d DICOM instances (%d series) of %s by QIDO-RS in %.1f s%n", index.rows().size(), index.samples().size(),
                ref.rootUri(), (System.nanoTime() - start) / 1e9);
        if (r.sheet() != null) {
            long withRtstruct = samples.stream().filter(s -> s.rtstruct().isPresent()).count();
            out.printf("sample sheet: %d series%s (%s)%n", samples.size(),
                    r.rtstructSource() == null ? "" : ", " + withRtstruct + " with an RTSTRUCT", r.sheet());
        }
        return 0;
    }

    /** The URI's query string as QIDO-RS matches, plus the study the path names, if any. */
    private static QidoQuery query(URI uri, DicomWebRef ref) {
        QidoQuery q = QidoQuery.all();
        if (uri.getRawQuery() != null) {
            for (String part : uri.getRawQuery().split("&")) {
                if (part.isEmpty()) continue;
                int eq = part.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("the query part '" + part + "' is not ATTRIBUTE=VALUE");
                q = q.with(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (ref.seriesUid().isPresent()) throw new IllegalArgumentException("index an archive, or a study of it, not a series");
        if (ref.studyUid().isPresent()) q = q.with("StudyInstanceUID", ref.studyUid().get());
        return q;
    }
}
