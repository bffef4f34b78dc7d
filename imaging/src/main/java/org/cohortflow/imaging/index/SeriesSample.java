package org.cohortflow.imaging.index;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One sample of a cohort: a DICOM series, keyed by patient, study and series, with its files.
 *
 * <p>The static factories build the usual filters for {@link IndexResult#samples(Predicate)}; combine them
 * with {@link Predicate#and}.
 *
 * @param patientId         PatientID
 * @param studyUid          StudyInstanceUID
 * @param seriesUid         SeriesInstanceUID
 * @param modality          Modality (of the first file)
 * @param seriesDescription SeriesDescription (of the first file)
 * @param files             the series' files (absolute URIs), sorted
 */
public record SeriesSample(String patientId, String studyUid, String seriesUid, String modality, String seriesDescription,
                           List<URI> files) {

    public SeriesSample {
        files = List.copyOf(files);
        if (files.isEmpty()) throw new IllegalArgumentException("a series sample needs at least one file: " + seriesUid);
    }

    /** The folder of the series' first file, without a trailing slash (series usually have a folder each). */
    public URI folder() {
        String parent = files.get(0).resolve(".").toString();
        return URI.create(parent.endsWith("/") ? parent.substring(0, parent.length() - 1) : parent);
    }

    /** A sample id that is unique within a cohort and safe in file names: {@code patient/study/series}. */
    public String id() {
        return patientId + "/" + studyUid + "/" + seriesUid;
    }

    /** Samples whose modality is one of {@code modalities} (case-insensitive). */
    public static Predicate<SeriesSample> modality(String... modalities) {
        Set<String> wanted = Set.copyOf(Arrays.stream(modalities).map(String::toUpperCase).toList());
        return s -> wanted.contains(s.modality().toUpperCase());
    }

    /** Samples whose series description contains a match of {@code regex} (case-insensitive). */
    public static Predicate<SeriesSample> seriesDescriptionMatches(String regex) {
        Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        return s -> p.matcher(s.seriesDescription()).find();
    }
}
