package org.cohortflow.imaging.pipeline;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.cohortflow.dsl.csv.CsvFile;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.dicom.DicomFiles;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.FileTree;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.IndexRow;
import org.cohortflow.imaging.index.SeriesSample;
import org.cohortflow.imaging.rtstruct.RtStruct;

/**
 * Turns a DICOM folder tree (local, or any storage behind a {@link FileTree}) into pipeline samples: one
 * sample per image series (filtered, e.g. by modality), with the RTSTRUCT that references the series when
 * there is one. Sample ids are the patient ids, made unique with the modality and then the series number
 * in the index when a patient has several matching series.
 */
public final class DicomCohortSource {

    /** One discovered sample; {@code rtstruct} is the absolute URI of its structure set, if any. */
    public record Sample(String id, SeriesSample series, Optional<URI> rtstruct) {
        public ImagingTypes.DicomSeriesDir seriesRef() {
            return ImagingTypes.DicomSeriesDir.of(series.folder(), series.seriesUid());
        }
    }

    private DicomCohortSource() {}

    /** Indexes the local folder {@code root} (headers only) and returns the matching series as samples, in index order. */
    public static List<Sample> discover(Path root, Predicate<SeriesSample> filter, int parallelism) {
        return discover(FileTree.local(root), filter, parallelism);
    }

    /**
     * Indexes {@code tree} (headers only, in parallel) and returns the matching series as samples, in index
     * order. RTSTRUCTs are read whole, through the tree, to find the series they reference. For the index's
     * failures too, index with {@link DicomIndexer} and use {@link #discover(FileTree, IndexResult, Predicate)}.
     */
    public static List<Sample> discover(FileTree tree, Predicate<SeriesSample> filter, int parallelism) {
        return discover(tree, DicomIndexer.index(tree, parallelism), filter);
    }

    /**
     * The samples of an index made elsewhere (e.g. by Spark executors) of {@code tree}; RTSTRUCTs are read
     * here, through the tree, to find the series they reference.
     */
    public static List<Sample> discover(FileTree tree, IndexResult index, Predicate<SeriesSample> filter) {
        Map<String, URI> rtstructBySeries = new HashMap<>();
        for (IndexRow row : index.rows()) {
            if ("RTSTRUCT".equals(row.modality())) {
                try (SeekableByteChannel ch = tree.open(row.file())) {
                    RtStruct.referencedSeriesUids(DicomFiles.readHeader(row.file(), ch))
                            .forEach(uid -> rtstructBySeries.putIfAbsent(uid, row.file()));
                } catch (ImagingException | IOException e) {
                    // An unreadable RTSTRUCT leaves its series without one; the index failures name the file.
                }
            }
        }
        List<SeriesSample> series = index.samples(filter.and(s -> !"RTSTRUCT".equals(s.modality())));
        Map<String, Integer> perPatient = new HashMap<>();
        series.forEach(s -> perPatient.merge(s.patientId(), 1, Integer::sum));
        Map<String, Integer> perPatientModality = new HashMap<>();
        series.forEach(s -> perPatientModality.merge(s.patientId() + "_" + s.modality(), 1, Integer::sum));
        Map<String, Integer> seen = new HashMap<>();
        List<Sample> out = new ArrayList<>();
        for (SeriesSample s : series) {
            String id = safe(s.patientId());
            if (perPatient.get(s.patientId()) > 1) {
                id = id + "_" + safe(s.modality());
                if (perPatientModality.get(s.patientId() + "_" + s.modality()) > 1) {
                    id = id + "_" + seen.merge(id, 1, Integer::sum);
                }
            }
            out.add(new Sample(id, s, Optional.ofNullable(rtstructBySeries.get(s.seriesUid()))));
        }
        return out;
    }

    /**
     * Binds discovered samples to two sources of a network: the series to {@code seriesSource} and, when
     * {@code rtstructSource} is given, their RTSTRUCT to it (a series without one gets no value there,
     * so its jobs that need the RTSTRUCT are reported missing).
     */
    public static SourceData.Builder bind(SourceData.Builder data, List<Sample> samples, String seriesSource,
                                          Optional<String> rtstructSource) {
        Map<String, Sample> byId = new LinkedHashMap<>();
        samples.forEach(s -> byId.put(s.id(), s));
        byId.forEach((id, s) -> {
            data.add(seriesSource, id, s.seriesRef().uri().toString());
            rtstructSource.ifPresent(r -> s.rtstruct().ifPresent(u -> data.add(r, id, u.toString())));
        });
        return data;
    }

    /**
     * Writes samples as a sample sheet that {@code cohortflow run --samples} reads: a header
     * {@code sample_id,SERIES[,RTSTRUCT][,NAME...]} and a row per sample with absolute URIs, then the
     * {@code constants} (the same value on every row, e.g. {@code roi=GTV}). A series without an RTSTRUCT gets
     * an empty cell, so the jobs that need it are reported missing rather than dropped.
     */
    public static void writeSampleSheet(Writer out, List<Sample> samples, String seriesSource, Optional<String> rtstructSource,
                                        Map<String, String> constants) throws IOException {
        List<String> header = new ArrayList<>(List.of("sample_id", seriesSource));
        rtstructSource.ifPresent(header::add);
        header.addAll(constants.keySet());
        out.write(CsvFile.line(header));
        for (Sample s : samples) {
            List<String> row = new ArrayList<>(List.of(s.id(), s.seriesRef().uri().toString()));
            rtstructSource.ifPresent(r -> row.add(s.rtstruct().map(URI::toString).orElse("")));
            row.addAll(constants.values());
            out.write(CsvFile.line(row));
        }
    }

    private static String safe(String s) {
        String t = s == null || s.isBlank() ? "unknown" : s.trim();
        return t.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
