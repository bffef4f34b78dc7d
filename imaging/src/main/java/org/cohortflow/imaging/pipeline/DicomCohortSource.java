package org.cohortflow.imaging.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.IndexRow;
import org.cohortflow.imaging.index.SeriesSample;
import org.cohortflow.imaging.rtstruct.RtStruct;

/**
 * Turns a DICOM folder tree into pipeline samples: one sample per image series (filtered, e.g. by
 * modality), with the RTSTRUCT that references the series when there is one. Sample ids are the
 * patient ids, made unique with the modality and then the series number in the index when a patient
 * has several matching series.
 */
public final class DicomCohortSource {

    /** One discovered sample. */
    public record Sample(String id, SeriesSample series, Optional<Path> rtstruct) {
        public ImagingTypes.DicomSeriesDir seriesRef() {
            return ImagingTypes.DicomSeriesDir.of(series.files().get(0).getParent(), series.seriesUid());
        }
    }

    private DicomCohortSource() {}

    /** Indexes {@code root} (headers only) and returns the matching series as samples, in index order. */
    public static List<Sample> discover(Path root, Predicate<SeriesSample> filter, int parallelism) {
        IndexResult index = DicomIndexer.index(root, parallelism);
        Map<String, Path> rtstructBySeries = new HashMap<>();
        for (IndexRow row : index.rows()) {
            if ("RTSTRUCT".equals(row.modality())) {
                Path p = row.path();
                try {
                    RtStruct.read(p).referencedSeriesUids().forEach(uid -> rtstructBySeries.putIfAbsent(uid, p));
                } catch (ImagingException e) {
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
            rtstructSource.ifPresent(r -> s.rtstruct().ifPresent(p -> data.add(r, id, p.toAbsolutePath().toUri().toString())));
        });
        return data;
    }

    private static String safe(String s) {
        String t = s == null || s.isBlank() ? "unknown" : s.trim();
        return t.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
