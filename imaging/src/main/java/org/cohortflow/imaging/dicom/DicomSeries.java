package org.cohortflow.imaging.dicom;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;

/**
 * An image series found from headers only: its identity, its frames in slice order, the grid they form and
 * any problems that keep them from forming a regular grid (gaps, duplicate positions, non-uniform spacing,
 * mixed orientations or sizes).
 *
 * <p>Produced by {@link DicomSeriesReader#scan} and consumed by {@link DicomSeriesReader#read} and by
 * RTSTRUCT rasterisation. Immutable.
 */
public final class DicomSeries {
    private final String seriesInstanceUid;
    private final String studyInstanceUid;
    private final String patientId;
    private final String modality;
    private final String seriesDescription;
    private final String frameOfReferenceUid;
    private final List<DicomFrame> frames;
    private final Geometry geometry;
    private final List<String> problems;

    DicomSeries(String seriesInstanceUid, String studyInstanceUid, String patientId, String modality, String seriesDescription,
                String frameOfReferenceUid, List<DicomFrame> frames, Geometry geometry, List<String> problems) {
        this.seriesInstanceUid = seriesInstanceUid;
        this.studyInstanceUid = studyInstanceUid;
        this.patientId = patientId;
        this.modality = modality;
        this.seriesDescription = seriesDescription;
        this.frameOfReferenceUid = frameOfReferenceUid;
        this.frames = List.copyOf(frames);
        this.geometry = geometry;
        this.problems = List.copyOf(problems);
    }

    public String seriesInstanceUid() { return seriesInstanceUid; }
    public String studyInstanceUid() { return studyInstanceUid; }
    public String patientId() { return patientId; }
    public String modality() { return modality; }
    public String seriesDescription() { return seriesDescription; }
    public String frameOfReferenceUid() { return frameOfReferenceUid; }

    /** Frames in slice order (ascending along the slice normal). */
    public List<DicomFrame> frames() { return frames; }

    /** Distinct files in slice order. */
    public List<Path> files() {
        Set<Path> s = new LinkedHashSet<>();
        for (DicomFrame f : frames) s.add(f.file());
        return List.copyOf(s);
    }

    /** SOPInstanceUIDs of the series' files. */
    public Set<String> sopInstanceUids() {
        Set<String> s = new LinkedHashSet<>();
        for (DicomFrame f : frames) s.add(f.sopInstanceUid());
        return s;
    }

    /** Why the frames do not form a regular grid; empty when they do. */
    public List<String> problems() { return problems; }

    /** Whether the frames form a regular grid. */
    public boolean isRegular() { return problems.isEmpty(); }

    /** The LPS grid of the series; throws, listing the problems, when the frames do not form a regular grid. */
    public Geometry geometry() {
        if (!problems.isEmpty()) {
            throw new ImagingException(location(), "series " + seriesInstanceUid + " does not form a regular grid: " + String.join("; ", problems));
        }
        return geometry;
    }

    /** A file or folder to name in messages about the whole series. */
    Path location() {
        if (frames.isEmpty()) return null;
        Path parent = frames.get(0).file().getParent();
        return parent != null ? parent : frames.get(0).file();
    }

    @Override
    public String toString() {
        return "DicomSeries[" + modality + " " + seriesInstanceUid + ", " + frames.size() + " frames"
                + (problems.isEmpty() ? "" : ", problems=" + problems) + "]";
    }
}
