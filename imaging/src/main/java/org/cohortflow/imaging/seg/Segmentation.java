package org.cohortflow.imaging.seg;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.dicom.DicomFiles;
import org.cohortflow.imaging.dicom.DicomFrame;
import org.cohortflow.imaging.dicom.DicomSeries;

/**
 * A binary DICOM Segmentation (PS3.3 A.51) read as masks on the grid of the series it segments, one segment at a
 * time: the DICOM counterpart of a NIfTI label (issue 18, item 3). Each frame is placed on the series' slice at its
 * Image Position (Patient); frames of other segments are ignored. Fractional segmentations, another frame of
 * reference or frames off the series' slices are refused naming the file.
 */
public final class Segmentation {
    private final Path file;
    private final Map<Integer, String> segments;
    private final AttributeList attributes;

    private Segmentation(Path file, Map<Integer, String> segments, AttributeList attributes) {
        this.file = file;
        this.segments = java.util.Collections.unmodifiableMap(segments);
        this.attributes = attributes;
    }

    /** Segment number to segment label, in file order. */
    public Map<Integer, String> segments() {
        return segments;
    }

    /** Reads a SEG file (with its pixel data). */
    public static Segmentation read(Path file) {
        AttributeList l = new AttributeList();
        try {
            l.read(file.toFile());
        } catch (IOException | DicomException e) {
            throw new ImagingException(file, "cannot read DICOM segmentation: " + e.getMessage(), e);
        }
        String modality = DicomFiles.string(l, TagFromName.Modality);
        if (!modality.equals("SEG")) throw new ImagingException(file, "not a DICOM segmentation (Modality is '" + modality + "')");
        Map<Integer, String> segments = new LinkedHashMap<>();
        for (AttributeList s : items(l, TagFromName.SegmentSequence)) {
            segments.put(DicomFiles.integer(s, TagFromName.SegmentNumber, -1), DicomFiles.string(s, TagFromName.SegmentLabel));
        }
        return new Segmentation(file, segments, l);
    }

    /**
     * The segment labelled (or numbered) {@code segment} as a mask on {@code series}' grid; an unknown segment is
     * refused naming the segments present.
     */
    public Mask mask(String segment, DicomSeries series) {
        Integer number = null;
        for (Map.Entry<Integer, String> e : segments.entrySet()) {
            if (e.getValue().equals(segment)) number = e.getKey();
        }
        if (number == null && segment.matches("\\d+") && segments.containsKey(Integer.parseInt(segment))) {
            number = Integer.parseInt(segment);
        }
        if (number == null) {
            List<String> present = new ArrayList<>();
            segments.forEach((n, label) -> present.add(n + " '" + label + "'"));
            throw new ImagingException(file, "no segment '" + segment + "'; segments present: " + String.join(", ", present));
        }
        String type = DicomFiles.string(attributes, TagFromName.SegmentationType);
        if (!type.equals("BINARY")) throw new ImagingException(file, "segmentation type " + type + " is not read (only BINARY)");
        String frameOfReference = DicomFiles.string(attributes, TagFromName.FrameOfReferenceUID);
        if (!frameOfReference.equals(series.frameOfReferenceUid())) {
            throw new ImagingException(file, "frame of reference " + frameOfReference + " is not the series' "
                    + series.frameOfReferenceUid());
        }
        Geometry g = series.geometry();
        int rows = DicomFiles.integer(attributes, TagFromName.Rows, -1);
        int cols = DicomFiles.integer(attributes, TagFromName.Columns, -1);
        if (rows != g.ny() || cols != g.nx()) {
            throw new ImagingException(file, "frames of " + cols + " x " + rows + " do not fit the series' " + g.nx() + " x " + g.ny());
        }
        List<AttributeList> frames = items(attributes, TagFromName.PerFrameFunctionalGroupsSequence);
        byte[] pixels;
        try {
            Attribute a = attributes.get(TagFromName.PixelData);
            if (a == null) throw new ImagingException(file, "no pixel data");
            pixels = a.getByteValues();
        } catch (DicomException e) {
            throw new ImagingException(file, "cannot read pixel data: " + e.getMessage(), e);
        }
        List<DicomFrame> slices = series.frames();
        double[] normal = slices.get(0).normal();
        double step = g.spacing()[2];
        BitSet bits = new BitSet(g.voxelCount());
        int plane = rows * cols;
        for (int f = 0; f < frames.size(); f++) {
            AttributeList fg = frames.get(f);
            List<AttributeList> id = items(fg, TagFromName.SegmentIdentificationSequence);
            if (id.isEmpty() || DicomFiles.integer(id.get(0), TagFromName.ReferencedSegmentNumber, -1) != number) continue;
            List<AttributeList> pos = items(fg, TagFromName.PlanePositionSequence);
            if (pos.isEmpty()) throw new ImagingException(file, "frame " + (f + 1) + " has no Image Position (Patient)");
            double[] p = doubles(pos.get(0), TagFromName.ImagePositionPatient);
            int z = slice(slices, p, normal, step);
            if (z < 0) throw new ImagingException(file, "frame " + (f + 1) + " at " + java.util.Arrays.toString(p) + " is on no slice of the series");
            long first = (long) f * plane;
            for (int i = 0; i < plane; i++) {
                long bit = first + i;
                if ((pixels[(int) (bit >>> 3)] >> (bit & 7) & 1) != 0) bits.set(z * plane + i);
            }
        }
        return new Mask(g, bits);
    }

    /** The slice whose position matches {@code p} (within a tenth of the slice spacing), or -1. */
    private static int slice(List<DicomFrame> slices, double[] p, double[] normal, double step) {
        for (int z = 0; z < slices.size(); z++) {
            double[] q = slices.get(z).position();
            double d = 0, along = 0;
            for (int a = 0; a < 3; a++) {
                d += (p[a] - q[a]) * (p[a] - q[a]);
                along += (p[a] - q[a]) * normal[a];
            }
            if (Math.abs(along) <= 0.1 * step && Math.sqrt(d) <= 0.1 * step + 1e-3) return z;
        }
        return -1;
    }

    private static double[] doubles(AttributeList l, AttributeTag tag) {
        try {
            Attribute a = l.get(tag);
            return a == null ? new double[0] : a.getDoubleValues();
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<AttributeList> items(AttributeList l, AttributeTag tag) {
        List<AttributeList> out = new ArrayList<>();
        if (l.get(tag) instanceof SequenceAttribute s) {
            for (int i = 0; i < s.getNumberOfItems(); i++) out.add(s.getItem(i).getAttributeList());
        }
        return out;
    }
}
