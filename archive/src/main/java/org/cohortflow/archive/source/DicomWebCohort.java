package org.cohortflow.archive.source;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.cohortflow.archive.dicomweb.ArchiveException;
import org.cohortflow.archive.dicomweb.DicomJson;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.QidoQuery;
import org.cohortflow.dsl.csv.CsvFile;
import org.cohortflow.imaging.index.FileTree;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.IndexRow;
import org.cohortflow.imaging.index.SeriesSample;
import org.cohortflow.imaging.pipeline.DicomCohortSource;

/**
 * Cohort discovery on a DICOMweb archive: a QIDO-RS query becomes the same {@link IndexResult} the folder route
 * ({@code DicomIndexer}) makes of the same files (one row per instance, from the archive's index, no file read),
 * and the same samples as {@link DicomCohortSource}: one per image series, with the RTSTRUCT that references
 * it (RTSTRUCTs are retrieved with WADO-RS to read their references), the same sample ids. Rows, samples and
 * sheets name data by {@code dicomweb://} URIs.
 */
public final class DicomWebCohort {
    /** What QIDO-RS must return of each instance to fill an index row. */
    private static final String[] ROW_FIELDS = {"PatientID", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID",
        "Modality", "Rows", "Columns", "SeriesDescription"};

    private final DicomWebClient client;
    private final int pageSize;

    /** One sample: its id, the series (files are instance URIs), the series' URI and its RTSTRUCT's, if any. */
    public record Sample(String id, SeriesSample series, URI seriesUri, Optional<URI> rtstruct) {}

    public DicomWebCohort(DicomWebClient client, int pageSize) {
        this.client = client;
        this.pageSize = pageSize;
    }

    /** The archive root as pipelines name it. */
    public URI root() {
        return DicomWebRef.parse(client.settings().root()).rootUri();
    }

    /**
     * Every instance of the studies {@code studyFilter} matches (e.g. {@code PatientID}, {@code StudyDate}
     * {@code 20200101-20201231}; {@link QidoQuery#all()} for the whole archive), as index rows sorted by URI.
     * A query that matches nothing gives an empty index; an unreachable archive is an {@link ArchiveException}.
     */
    public IndexResult index(QidoQuery studyFilter) {
        QidoQuery q = studyFilter.including(ROW_FIELDS);
        URI http = client.settings().root();
        List<IndexRow> rows = new ArrayList<>();
        for (DicomJson d : client.searchAll(DicomWebClient.Level.INSTANCES, q, pageSize)) {
            String study = d.string(DicomJson.STUDY_UID);
            String series = d.string(DicomJson.SERIES_UID);
            String sop = d.string(DicomJson.SOP_UID);
            URI file = DicomWebRef.instance(http, study, series, sop).toUri();
            rows.add(new IndexRow(file, d.string(DicomJson.PATIENT_ID), study, series, sop, d.string(DicomJson.MODALITY),
                    d.integer(DicomJson.ROWS).orElse(null), d.integer(DicomJson.COLUMNS).orElse(null),
                    d.string(DicomJson.SERIES_DESCRIPTION)));
        }
        rows.sort(Comparator.comparing(IndexRow::location));
        return new IndexResult(rows, List.of());
    }

    /**
     * The image series of {@code index} that pass {@code filter} as samples, with the RTSTRUCT referencing each
     * (read through WADO-RS), ids as the folder route gives them.
     */
    public List<Sample> discover(IndexResult index, Predicate<SeriesSample> filter) {
        URI http = client.settings().root();
        List<String> unreadable = java.util.Collections.synchronizedList(new ArrayList<>());
        List<DicomCohortSource.Sample> found = DicomCohortSource.discover(tree(index, unreadable), index, filter);
        if (!unreadable.isEmpty()) {
            // The folder route skips an unreadable RTSTRUCT (its index names the file); an archive that fails to
            // serve one is down or inconsistent, and a cohort silently without masks would mislead.
            throw new ArchiveException(http, null, "cannot read " + unreadable.size() + " RTSTRUCT(s) of " + root()
                    + " to pair them with series: " + unreadable.get(0));
        }
        List<Sample> out = new ArrayList<>();
        for (DicomCohortSource.Sample s : found) {
            SeriesSample ss = s.series();
            out.add(new Sample(s.id(), ss, DicomWebRef.series(http, ss.studyUid(), ss.seriesUid()).toUri(), s.rtstruct()));
        }
        return out;
    }

    /** The archive's instances as a {@link FileTree}: listing from the index, each file retrieved whole on open. */
    public FileTree tree(IndexResult index) {
        return tree(index, new ArrayList<>());
    }

    private FileTree tree(IndexResult index, List<String> unreadable) {
        return new FileTree() {
            @Override
            public URI root() {
                return DicomWebCohort.this.root();
            }

            @Override
            public List<URI> files(BiConsumer<URI, String> unreadable) {
                return index.rows().stream().map(IndexRow::file).sorted().toList();
            }

            @Override
            public SeekableByteChannel open(URI file) throws IOException {
                DicomWebRef ref = DicomWebRef.parse(file);
                try {
                    return new BytesChannel(client.retrieveInstanceBytes(ref.studyUid().orElseThrow(),
                            ref.seriesUid().orElseThrow(), ref.sopUid().orElseThrow()));
                } catch (ArchiveException e) {
                    unreadable.add(e.getMessage());
                    throw new IOException(e.getMessage(), e);
                }
            }
        };
    }

    /**
     * Writes samples as a sheet for {@code cohortflow run --samples}, like the folder route's: header
     * {@code sample_id,SERIES[,RTSTRUCT][,NAME...]}, then a row per sample with {@code dicomweb://} URIs.
     */
    public static void writeSampleSheet(Writer out, List<Sample> samples, String seriesSource, Optional<String> rtstructSource,
                                        Map<String, String> constants) throws IOException {
        List<String> header = new ArrayList<>(List.of("sample_id", seriesSource));
        rtstructSource.ifPresent(header::add);
        header.addAll(constants.keySet());
        out.write(CsvFile.line(header));
        for (Sample s : samples) {
            List<String> row = new ArrayList<>(List.of(s.id(), s.seriesUri().toString()));
            rtstructSource.ifPresent(r -> row.add(s.rtstruct().map(URI::toString).orElse("")));
            row.addAll(constants.values());
            out.write(CsvFile.line(row));
        }
    }
}
