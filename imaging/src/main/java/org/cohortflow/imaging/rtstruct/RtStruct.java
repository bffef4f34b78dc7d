package org.cohortflow.imaging.rtstruct;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.dicom.DicomFiles;
import org.cohortflow.imaging.dicom.DicomSeries;

/**
 * A DICOM RT Structure Set: named regions of interest drawn as planar contours in patient coordinates,
 * and their rasterisation to a {@link Mask} on an image grid.
 *
 * <p>Rasterisation marks a voxel when its centre lies inside the contours of its slice under the even-odd
 * rule, so a contour drawn inside another one on the same slice cuts a hole. Each contour is assigned to
 * the slice its plane lies on (nearest slice centre, within half a slice); contours outside the grid are
 * dropped. Only CLOSED_PLANAR contours describe areas; POINT and OPEN_PLANAR contours are ignored.
 */
public final class RtStruct {
    // RT tags PixelMed's TagFromName does not define.
    private static final AttributeTag ReferencedFrameOfReferenceSequence = new AttributeTag(0x3006, 0x0010);
    private static final AttributeTag RTReferencedStudySequence = new AttributeTag(0x3006, 0x0012);
    private static final AttributeTag RTReferencedSeriesSequence = new AttributeTag(0x3006, 0x0014);
    private static final AttributeTag StructureSetROISequence = new AttributeTag(0x3006, 0x0020);
    private static final AttributeTag ROINumber = new AttributeTag(0x3006, 0x0022);
    private static final AttributeTag ROIName = new AttributeTag(0x3006, 0x0026);
    private static final AttributeTag ROIContourSequence = new AttributeTag(0x3006, 0x0039);
    private static final AttributeTag ReferencedROINumber = new AttributeTag(0x3006, 0x0084);
    private static final AttributeTag ContourSequence = new AttributeTag(0x3006, 0x0040);
    private static final AttributeTag ContourGeometricType = new AttributeTag(0x3006, 0x0042);


    /**
     * One ROI.
     *
     * @param number              ROINumber
     * @param name                ROIName
     * @param frameOfReferenceUid ReferencedFrameOfReferenceUID of the ROI
     * @param contours            closed planar contours, each x1,y1,z1,x2,... in LPS mm
     */
    public record Roi(int number, String name, String frameOfReferenceUid, List<double[]> contours) {
    }

    /**
     * A rasterised ROI and what was accepted on the way.
     *
     * @param mask     the ROI on the grid
     * @param warnings what was accepted although not as the standard has it (for the job log and provenance)
     */
    public record Rasterised(Mask mask, List<String> warnings) {
        public Rasterised {
            warnings = List.copyOf(warnings);
        }
    }

    private final Path file;
    private final String frameOfReferenceUid;
    private final Set<String> referencedSeriesUids;
    /** The structure set's ReferencedFrameOfReferenceSequence: frame of reference UID to the series it names. */
    private final Map<String, Set<String>> seriesByFrame;
    private final Map<String, Roi> rois;

    private RtStruct(Path file, String frameOfReferenceUid, Map<String, Set<String>> seriesByFrame, Map<String, Roi> rois) {
        this.file = file;
        this.frameOfReferenceUid = frameOfReferenceUid;
        Set<String> all = new LinkedHashSet<>();
        seriesByFrame.values().forEach(all::addAll);
        this.referencedSeriesUids = Collections.unmodifiableSet(all);
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        seriesByFrame.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
        this.seriesByFrame = Collections.unmodifiableMap(copy);
        this.rois = rois;
    }

    /**
     * The SeriesInstanceUIDs an RTSTRUCT header (read by {@link DicomFiles#readHeader}) references, in file
     * order; for matching structure sets to series without rasterising anything.
     */
    public static Set<String> referencedSeriesUids(AttributeList header) {
        Set<String> seriesUids = new LinkedHashSet<>();
        for (AttributeList ref : items(header, ReferencedFrameOfReferenceSequence)) {
            for (AttributeList study : items(ref, RTReferencedStudySequence)) {
                for (AttributeList series : items(study, RTReferencedSeriesSequence)) {
                    String uid = DicomFiles.string(series, TagFromName.SeriesInstanceUID);
                    if (!uid.isEmpty()) seriesUids.add(uid);
                }
            }
        }
        return seriesUids;
    }

    /** Reads an RTSTRUCT file. */
    public static RtStruct read(Path file) {
        AttributeList h = DicomFiles.readHeader(file);
        String modality = DicomFiles.string(h, TagFromName.Modality);
        if (!modality.equals("RTSTRUCT")) {
            throw new ImagingException(file, "not an RTSTRUCT (Modality is '" + modality + "')");
        }
        String forUid = "";
        Map<String, Set<String>> seriesByFrame = new LinkedHashMap<>();
        for (AttributeList ref : items(h, ReferencedFrameOfReferenceSequence)) {
            String frame = DicomFiles.string(ref, TagFromName.FrameOfReferenceUID);
            if (forUid.isEmpty()) forUid = frame;
            Set<String> series = seriesByFrame.computeIfAbsent(frame, k -> new LinkedHashSet<>());
            for (AttributeList study : items(ref, RTReferencedStudySequence)) {
                for (AttributeList se : items(study, RTReferencedSeriesSequence)) {
                    String uid = DicomFiles.string(se, TagFromName.SeriesInstanceUID);
                    if (!uid.isEmpty()) series.add(uid);
                }
            }
        }
        Map<Integer, String[]> byNumber = new LinkedHashMap<>();
        for (AttributeList roi : items(h, StructureSetROISequence)) {
            int number = DicomFiles.integer(roi, ROINumber, -1);
            byNumber.put(number, new String[] {DicomFiles.string(roi, ROIName),
                DicomFiles.string(roi, TagFromName.ReferencedFrameOfReferenceUID)});
        }
        Map<Integer, List<double[]>> contours = new LinkedHashMap<>();
        for (AttributeList rc : items(h, ROIContourSequence)) {
            int number = DicomFiles.integer(rc, ReferencedROINumber, -1);
            List<double[]> list = contours.computeIfAbsent(number, k -> new ArrayList<>());
            for (AttributeList c : items(rc, ContourSequence)) {
                String type = DicomFiles.string(c, ContourGeometricType);
                if (!type.isEmpty() && !type.equals("CLOSED_PLANAR")) continue;
                com.pixelmed.dicom.Attribute data = c.get(TagFromName.ContourData);
                if (data == null || data.getVM() < 9) continue;
                try {
                    double[] pts = data.getDoubleValues();
                    if (pts.length % 3 != 0) throw new ImagingException(file, "ContourData of ROI " + number + " has " + pts.length + " values, not a multiple of 3");
                    list.add(pts);
                } catch (com.pixelmed.dicom.DicomException e) {
                    throw new ImagingException(file, "bad ContourData in ROI " + number + ": " + e.getMessage(), e);
                }
            }
        }
        Map<String, Roi> rois = new LinkedHashMap<>();
        for (Map.Entry<Integer, String[]> e : byNumber.entrySet()) {
            String roiFor = e.getValue()[1].isEmpty() ? forUid : e.getValue()[1];
            rois.putIfAbsent(e.getValue()[0], new Roi(e.getKey(), e.getValue()[0], roiFor,
                    List.copyOf(contours.getOrDefault(e.getKey(), List.of()))));
        }
        return new RtStruct(file, forUid, seriesByFrame, rois);
    }

    private static List<AttributeList> items(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        List<AttributeList> out = new ArrayList<>();
        if (list != null && list.get(tag) instanceof SequenceAttribute s) {
            for (int i = 0; i < s.getNumberOfItems(); i++) {
                SequenceItem it = s.getItem(i);
                if (it != null && it.getAttributeList() != null) out.add(it.getAttributeList());
            }
        }
        return out;
    }

    public Path file() { return file; }

    /** FrameOfReferenceUID of the structure set (first referenced frame of reference). */
    public String frameOfReferenceUid() { return frameOfReferenceUid; }

    /** SeriesInstanceUIDs of the image series the structure set was drawn on. */
    public Set<String> referencedSeriesUids() { return referencedSeriesUids; }

    /** The structure set's ReferencedFrameOfReferenceSequence: each frame of reference UID and the series it names. */
    public Map<String, Set<String>> referencedSeriesByFrame() { return seriesByFrame; }

    /** ROI names in file order. */
    public List<String> roiNames() { return List.copyOf(rois.keySet()); }

    /** The ROI called {@code name}; an error listing the available names when there is none. */
    public Roi roi(String name) {
        Roi r = rois.get(name);
        if (r == null) {
            throw new ImagingException(file, "no ROI named '" + name + "'; available: " + String.join(", ", rois.keySet()));
        }
        return r;
    }

    /** Rasterises ROI {@code name} on the grid of {@code series}, checking the frame of reference. */
    public Mask toMask(String name, DicomSeries series) {
        return rasterise(name, series).mask();
    }

    /**
     * Rasterises ROI {@code name} on the grid of {@code series}, checking that the ROI belongs to the series'
     * frame of reference.
     *
     * <p>The ROI's own ReferencedFrameOfReferenceUID decides. Real structure sets sometimes carry one there
     * that names no frame the structure set references (a stale or regenerated UID), while the structure
     * set's ReferencedFrameOfReferenceSequence names the series' frame of reference and the series itself.
     * Such a ROI is accepted, and the returned warnings say so; an ROI in another frame the structure set
     * does reference, or a structure set that does not name this series in its frame, is refused.
     */
    public Rasterised rasterise(String name, DicomSeries series) {
        Roi roi = roi(name);
        String imageFrame = series.frameOfReferenceUid();
        List<String> warnings = new ArrayList<>();
        if (imageFrame != null && !imageFrame.isEmpty() && !roi.frameOfReferenceUid().isEmpty()
                && !roi.frameOfReferenceUid().equals(imageFrame)) {
            boolean dangling = !seriesByFrame.containsKey(roi.frameOfReferenceUid());
            boolean tiedToImage = seriesByFrame.getOrDefault(imageFrame, Set.of()).contains(series.seriesInstanceUid());
            if (!(dangling && tiedToImage)) {
                throw mismatch(name, roi, imageFrame, dangling
                        ? "; the structure set's ReferencedFrameOfReferenceSequence does not name series "
                                + series.seriesInstanceUid() + " in that frame either"
                        : "");
            }
            warnings.add("ROI '" + name + "' of " + file + " names frame of reference " + roi.frameOfReferenceUid()
                    + ", which the structure set references no image in; accepted because the structure set's"
                    + " ReferencedFrameOfReferenceSequence ties it to the image's frame " + imageFrame
                    + " and series " + series.seriesInstanceUid());
        }
        return new Rasterised(rasterize(roi.contours(), series.geometry()), warnings);
    }

    /**
     * Rasterises ROI {@code name} on {@code grid}, whose frame of reference is {@code gridFrameOfReferenceUid}
     * (null or empty to skip the check, e.g. for a grid read from NIfTI, which has none).
     */
    public Mask toMask(String name, Geometry grid, String gridFrameOfReferenceUid) {
        Roi roi = roi(name);
        if (gridFrameOfReferenceUid != null && !gridFrameOfReferenceUid.isEmpty() && !roi.frameOfReferenceUid().isEmpty()
                && !roi.frameOfReferenceUid().equals(gridFrameOfReferenceUid)) {
            throw mismatch(name, roi, gridFrameOfReferenceUid, "");
        }
        return rasterize(roi.contours(), grid);
    }

    private ImagingException mismatch(String name, Roi roi, String imageFrame, String detail) {
        return new ImagingException(file, "frame of reference mismatch: ROI '" + name + "' is in " + roi.frameOfReferenceUid()
                + " but the image is in " + imageFrame + detail);
    }

    /** Even-odd rasterisation of closed planar contours (LPS mm) on {@code grid}: voxel centres inside. */
    public static Mask rasterize(List<double[]> contours, Geometry grid) {
        int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
        // Per slice, the polygons in continuous (i, j) index coordinates.
        Map<Integer, List<double[]>> bySlice = new LinkedHashMap<>();
        for (double[] pts : contours) {
            int n = pts.length / 3;
            double[] ij = new double[2 * n];
            double ksum = 0;
            for (int p = 0; p < n; p++) {
                double[] idx = grid.worldToIndex(pts[3 * p], pts[3 * p + 1], pts[3 * p + 2]);
                ij[2 * p] = idx[0];
                ij[2 * p + 1] = idx[1];
                ksum += idx[2];
            }
            double kc = ksum / n;
            int k = (int) Math.round(kc);
            if (k < 0 || k >= nz || Math.abs(kc - k) > 0.5) continue;
            bySlice.computeIfAbsent(k, x -> new ArrayList<>()).add(ij);
        }
        BitSet bits = new BitSet(grid.voxelCount());
        double[] crossings = new double[64];
        for (Map.Entry<Integer, List<double[]>> e : bySlice.entrySet()) {
            int k = e.getKey();
            for (int j = 0; j < ny; j++) {
                int count = 0;
                for (double[] poly : e.getValue()) {
                    int n = poly.length / 2;
                    for (int p = 0; p < n; p++) {
                        double ax = poly[2 * p], ay = poly[2 * p + 1];
                        int q = (p + 1) % n;
                        double bx = poly[2 * q], by = poly[2 * q + 1];
                        // half-open in y so that a vertex on the scan line is counted once
                        if ((ay <= j && j < by) || (by <= j && j < ay)) {
                            if (count == crossings.length) crossings = Arrays.copyOf(crossings, 2 * count);
                            crossings[count++] = ax + (j - ay) * (bx - ax) / (by - ay);
                        }
                    }
                }
                if (count < 2) continue;
                Arrays.sort(crossings, 0, count);
                int base = grid.index(0, j, k);
                for (int c = 0; c + 1 < count; c += 2) {
                    // centre i is inside when crossings[c] <= i < crossings[c + 1]
                    int from = Math.max(0, (int) Math.ceil(crossings[c]));
                    int to = Math.min(nx, (int) Math.ceil(crossings[c + 1]));
                    if (from < to) bits.set(base + from, base + to);
                }
            }
        }
        return new Mask(grid, bits);
    }

    @Override
    public String toString() {
        return "RtStruct[" + file + ", rois=" + rois.keySet() + "]";
    }
}
