package org.cohortflow.imaging.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Volume;

/**
 * Turns DICOM image files into {@link DicomSeries} (headers only) and series into {@link Volume}s.
 *
 * <p>Frames are grouped by SeriesInstanceUID and sorted by their position along the slice normal
 * (row x column direction), not by file name or InstanceNumber. The slice spacing comes from the image
 * positions. Multi-frame images (enhanced CT/MR/PET with per-frame functional groups) contribute one frame
 * per slice. Rescale slope and intercept are applied per frame. Voxels are stored as 16-bit when every
 * frame's header range after rescaling fits, else as float.
 */
public final class DicomSeriesReader {
    /** Orientation cosines that differ by more than this are "mixed orientations". */
    private static final double ORIENTATION_TOLERANCE = 1e-4;

    private DicomSeriesReader() {
    }

    /**
     * Reads the headers of every file under {@code root} (a folder, searched recursively, or one file) and
     * returns its image series, ordered by series UID. Files that are not DICOM are ignored; DICOM files
     * without pixel data (RTSTRUCT, SR, ...) are not series; a truncated or unreadable DICOM file is an
     * error naming it.
     */
    public static List<DicomSeries> scan(Path root) {
        List<Path> files;
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.walk(root)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new ImagingException(root, "cannot list folder: " + e, e);
            }
        } else if (Files.isRegularFile(root)) {
            files = List.of(root);
        } else {
            throw new ImagingException(root, "no such file or folder");
        }
        List<AttributeList> headers = new ArrayList<>();
        List<Path> used = new ArrayList<>();
        for (Path f : files) {
            AttributeList h;
            try {
                h = DicomFiles.readHeader(f);
            } catch (NotDicomException e) {
                continue;
            }
            headers.add(h);
            used.add(f);
        }
        return group(used, headers);
    }

    /** Groups already-chosen files into series (headers are read here). */
    public static List<DicomSeries> group(Collection<Path> files) {
        List<Path> paths = List.copyOf(files);
        List<AttributeList> headers = paths.stream().map(DicomFiles::readHeader).toList();
        return group(paths, headers);
    }

    /** The one image series under {@code root}; an error listing them when there are none or several. */
    public static DicomSeries single(Path root) {
        List<DicomSeries> all = scan(root);
        if (all.size() != 1) {
            throw new ImagingException(root, "expected one image series, found " + all.size()
                    + (all.isEmpty() ? "" : ": " + all.stream().map(s -> s.modality() + " " + s.seriesInstanceUid()).collect(Collectors.joining(", "))));
        }
        return all.get(0);
    }

    /** Reads the one image series under {@code root} into a volume. */
    public static Volume readVolume(Path root) {
        return read(single(root));
    }

    private static List<DicomSeries> group(List<Path> files, List<AttributeList> headers) {
        Map<String, List<Integer>> bySeries = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            AttributeList h = headers.get(i);
            boolean image = h.get(TagFromName.Rows) != null && h.get(TagFromName.Columns) != null;
            if (!image) continue;
            String uid = DicomFiles.string(h, TagFromName.SeriesInstanceUID);
            if (uid.isEmpty()) throw new ImagingException(files.get(i), "image without SeriesInstanceUID");
            bySeries.computeIfAbsent(uid, k -> new ArrayList<>()).add(i);
        }
        List<DicomSeries> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : bySeries.entrySet()) {
            List<DicomFrame> frames = new ArrayList<>();
            for (int i : e.getValue()) frames.addAll(frames(files.get(i), headers.get(i)));
            AttributeList first = headers.get(e.getValue().get(0));
            out.add(build(e.getKey(), first, frames));
        }
        out.sort(Comparator.comparing(DicomSeries::seriesInstanceUid));
        return out;
    }

    /** The frames a file contributes: one for single-frame images, one per frame for multi-frame images. */
    static List<DicomFrame> frames(Path file, AttributeList h) {
        int rows = DicomFiles.integer(h, TagFromName.Rows, 0);
        int columns = DicomFiles.integer(h, TagFromName.Columns, 0);
        int bitsAllocated = DicomFiles.integer(h, TagFromName.BitsAllocated, 16);
        int bitsStored = DicomFiles.integer(h, TagFromName.BitsStored, bitsAllocated);
        boolean signed = DicomFiles.integer(h, TagFromName.PixelRepresentation, 0) == 1;
        int samples = DicomFiles.integer(h, TagFromName.SamplesPerPixel, 1);
        if (samples != 1) throw new ImagingException(file, "colour images (SamplesPerPixel " + samples + ") are not supported");
        if (bitsAllocated != 8 && bitsAllocated != 16) {
            throw new ImagingException(file, "BitsAllocated " + bitsAllocated + " is not supported (8 or 16)");
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) bitsStored = bitsAllocated;
        String sop = DicomFiles.string(h, TagFromName.SOPInstanceUID);
        int n = Math.max(1, DicomFiles.integer(h, TagFromName.NumberOfFrames, 1));
        AttributeList shared = DicomFiles.item(h, TagFromName.SharedFunctionalGroupsSequence);
        boolean enhanced = h.get(TagFromName.PerFrameFunctionalGroupsSequence) != null;
        double[] topOrientation = DicomFiles.doubles(h, TagFromName.ImageOrientationPatient);
        double[] topPosition = DicomFiles.doubles(h, TagFromName.ImagePositionPatient);
        double[] topSpacing = DicomFiles.doubles(h, TagFromName.PixelSpacing);
        double topSlope = first(DicomFiles.doubles(h, TagFromName.RescaleSlope), 1);
        double topIntercept = first(DicomFiles.doubles(h, TagFromName.RescaleIntercept), 0);
        List<DicomFrame> out = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            double[] orientation = topOrientation, position = topPosition, spacing = topSpacing;
            double slope = topSlope, intercept = topIntercept;
            if (enhanced) {
                AttributeList perFrame = DicomFiles.item(h, TagFromName.PerFrameFunctionalGroupsSequence, f);
                if (perFrame == null) throw new ImagingException(file, "multi-frame image has no per-frame functional group for frame " + (f + 1));
                double[] p = functional(perFrame, shared, TagFromName.PlanePositionSequence, TagFromName.ImagePositionPatient);
                double[] o = functional(perFrame, shared, TagFromName.PlaneOrientationSequence, TagFromName.ImageOrientationPatient);
                double[] s = functional(perFrame, shared, TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing);
                double[] sl = functional(perFrame, shared, TagFromName.PixelValueTransformationSequence, TagFromName.RescaleSlope);
                double[] in = functional(perFrame, shared, TagFromName.PixelValueTransformationSequence, TagFromName.RescaleIntercept);
                if (p != null) position = p;
                if (o != null) orientation = o;
                if (s != null) spacing = s;
                if (sl != null) slope = sl[0];
                if (in != null) intercept = in[0];
            } else if (n > 1) {
                // Legacy multi-frame (e.g. NM): one position, frames stacked along the normal.
                double[] sbs = DicomFiles.doubles(h, TagFromName.SpacingBetweenSlices);
                if (sbs == null || position == null || orientation == null) {
                    throw new ImagingException(file, "multi-frame image without per-frame positions or SpacingBetweenSlices");
                }
                double[] nrm = cross(orientation);
                position = new double[] {position[0] + f * sbs[0] * nrm[0], position[1] + f * sbs[0] * nrm[1], position[2] + f * sbs[0] * nrm[2]};
            }
            if (position == null || position.length < 3) throw new ImagingException(file, "no ImagePositionPatient" + (n > 1 ? " for frame " + (f + 1) : ""));
            if (orientation == null || orientation.length < 6) throw new ImagingException(file, "no ImageOrientationPatient");
            if (spacing == null || spacing.length < 2) throw new ImagingException(file, "no PixelSpacing");
            if (slope == 0) slope = 1;      // a zero slope is a broken header; treat it as absent rather than zeroing the image
            out.add(new DicomFrame(file, f, sop, Arrays.copyOf(position, 3), unit(Arrays.copyOfRange(orientation, 0, 3)),
                    unit(Arrays.copyOfRange(orientation, 3, 6)), Arrays.copyOf(spacing, 2), rows, columns, slope, intercept,
                    bitsAllocated, bitsStored, signed));
        }
        return out;
    }

    private static double[] functional(AttributeList perFrame, AttributeList shared, com.pixelmed.dicom.AttributeTag seq,
                                       com.pixelmed.dicom.AttributeTag tag) {
        double[] v = DicomFiles.doubles(DicomFiles.item(perFrame, seq), tag);
        return v != null ? v : DicomFiles.doubles(DicomFiles.item(shared, seq), tag);
    }

    private static double first(double[] v, double dflt) {
        return v == null || v.length == 0 ? dflt : v[0];
    }

    private static double[] unit(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return n == 0 ? v : new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    private static double[] cross(double[] o) {
        return new DicomFrame(null, 0, "", new double[3], unit(Arrays.copyOfRange(o, 0, 3)), unit(Arrays.copyOfRange(o, 3, 6)),
                new double[2], 0, 0, 1, 0, 16, 16, false).normal();
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    /** Sorts the frames and works out the grid, collecting every reason it is not regular. */
    static DicomSeries build(String seriesUid, AttributeList first, List<DicomFrame> unsorted) {
        List<String> problems = new ArrayList<>();
        DicomFrame ref = unsorted.get(0);
        for (DicomFrame f : unsorted) {
            if (maxDiff(f.row(), ref.row()) > ORIENTATION_TOLERANCE || maxDiff(f.column(), ref.column()) > ORIENTATION_TOLERANCE) {
                problems.add("mixed orientations: " + ref.where() + " has " + Arrays.toString(concat(ref.row(), ref.column()))
                        + ", " + f.where() + " has " + Arrays.toString(concat(f.row(), f.column())));
                break;
            }
        }
        for (DicomFrame f : unsorted) {
            if (f.rows() != ref.rows() || f.columns() != ref.columns()) {
                problems.add("mixed image sizes: " + ref.where() + " is " + ref.columns() + "x" + ref.rows() + ", " + f.where() + " is "
                        + f.columns() + "x" + f.rows());
                break;
            }
        }
        for (DicomFrame f : unsorted) {
            if (maxDiff(f.pixelSpacing(), ref.pixelSpacing()) > 1e-4) {
                problems.add("mixed pixel spacing: " + ref.where() + " has " + Arrays.toString(ref.pixelSpacing()) + ", " + f.where()
                        + " has " + Arrays.toString(f.pixelSpacing()));
                break;
            }
        }
        double[] normal = ref.normal();
        List<DicomFrame> frames = new ArrayList<>(unsorted);
        frames.sort(Comparator.comparingDouble((DicomFrame f) -> dot(f.position(), normal)).thenComparing(f -> f.file().toString())
                .thenComparingInt(DicomFrame::frame));
        int n = frames.size();
        double zSpacing;
        if (n > 1) {
            double[] d = new double[n - 1];
            for (int i = 0; i < n - 1; i++) d[i] = dot(frames.get(i + 1).position(), normal) - dot(frames.get(i).position(), normal);
            double[] sorted = d.clone();
            Arrays.sort(sorted);
            double nominal = sorted[sorted.length / 2];
            double tol = Math.max(0.01, 0.005 * Math.abs(nominal));
            for (int i = 0; i < n - 1; i++) {
                DicomFrame a = frames.get(i), b = frames.get(i + 1);
                if (d[i] < 1e-3) {
                    problems.add("duplicate slice position " + fmt(dot(a.position(), normal)) + " mm in " + a.where() + " and " + b.where());
                } else if (nominal > 1e-3 && d[i] > 1.5 * nominal) {
                    long missing = Math.round(d[i] / nominal) - 1;
                    problems.add("gap of " + fmt(d[i]) + " mm (about " + missing + " missing slice" + (missing == 1 ? "" : "s") + ") between "
                            + a.where() + " and " + b.where() + "; nominal spacing " + fmt(nominal) + " mm");
                } else if (Math.abs(d[i] - nominal) > tol) {
                    problems.add("non-uniform slice spacing: " + fmt(d[i]) + " mm between " + a.where() + " and " + b.where()
                            + ", nominal " + fmt(nominal) + " mm");
                }
            }
            zSpacing = (dot(frames.get(n - 1).position(), normal) - dot(frames.get(0).position(), normal)) / (n - 1);
            // Slices must stack along the normal; an in-plane shift (e.g. gantry tilt) does not fit an orthogonal grid.
            double[] p0 = frames.get(0).position();
            for (int i = 1; i < n; i++) {
                double[] p = frames.get(i).position();
                double along = dot(new double[] {p[0] - p0[0], p[1] - p0[1], p[2] - p0[2]}, normal);
                double off = 0;
                for (int r = 0; r < 3; r++) off = Math.max(off, Math.abs(p[r] - p0[r] - along * normal[r]));
                if (off > 0.01) {
                    problems.add("slices are not stacked along the slice normal (in-plane offset " + fmt(off) + " mm at " + frames.get(i).where()
                            + "; gantry tilt?)");
                    break;
                }
            }
        } else {
            double[] t = DicomFiles.doubles(first, TagFromName.SpacingBetweenSlices);
            if (t == null) t = DicomFiles.doubles(first, TagFromName.SliceThickness);
            zSpacing = t != null && t[0] > 0 ? t[0] : 1.0;
        }
        Geometry g = null;
        if (problems.isEmpty()) {
            double[] r = ref.row(), c = ref.column();
            double[] dir = {r[0], c[0], normal[0], r[1], c[1], normal[1], r[2], c[2], normal[2]};
            g = new Geometry(new int[] {ref.columns(), ref.rows(), n}, frames.get(0).position(),
                    new double[] {ref.pixelSpacing()[1], ref.pixelSpacing()[0], zSpacing}, dir);
        }
        return new DicomSeries(seriesUid, DicomFiles.string(first, TagFromName.StudyInstanceUID), DicomFiles.string(first, TagFromName.PatientID),
                DicomFiles.string(first, TagFromName.Modality), DicomFiles.string(first, TagFromName.SeriesDescription),
                DicomFiles.string(first, TagFromName.FrameOfReferenceUID), frames, g, problems);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] o = Arrays.copyOf(a, 6);
        System.arraycopy(b, 0, o, 3, 3);
        return o;
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    /**
     * Reads the pixel data of {@code series} into a volume on {@link DicomSeries#geometry()} (which throws
     * for an irregular series). Files are read one at a time, each straight into the final array.
     */
    public static Volume read(DicomSeries series) {
        Geometry g = series.geometry();
        List<DicomFrame> frames = series.frames();
        boolean asShort = true;
        for (DicomFrame f : frames) {
            double lo = f.minStored() * f.slope() + f.intercept(), hi = f.maxStored() * f.slope() + f.intercept();
            if (f.slope() != 1 || f.intercept() != Math.rint(f.intercept()) || Math.min(lo, hi) < Short.MIN_VALUE || Math.max(lo, hi) > Short.MAX_VALUE) {
                asShort = false;
                break;
            }
        }
        int plane = g.nx() * g.ny();
        short[] shorts = asShort ? new short[g.voxelCount()] : null;
        float[] floats = asShort ? null : new float[g.voxelCount()];
        // Frames of one multi-frame file are read together: group slice indices by file, keeping order.
        Map<Path, List<Integer>> byFile = new LinkedHashMap<>();
        for (int k = 0; k < frames.size(); k++) byFile.computeIfAbsent(frames.get(k).file(), p -> new ArrayList<>()).add(k);
        for (Map.Entry<Path, List<Integer>> e : byFile.entrySet()) {
            Path file = e.getKey();
            AttributeList list = DicomFiles.readWithPixels(file);
            Attribute pixels = list.getPixelData();
            for (int k : e.getValue()) {
                DicomFrame f = frames.get(k);
                int[] stored = storedValues(file, pixels, f, plane);
                int base = k * plane;
                if (asShort) {
                    int inter = (int) f.intercept();
                    for (int i = 0; i < plane; i++) shorts[base + i] = (short) (stored[i] + inter);
                } else {
                    double slope = f.slope(), inter = f.intercept();
                    for (int i = 0; i < plane; i++) floats[base + i] = (float) (stored[i] * slope + inter);
                }
            }
        }
        return asShort ? Volume.ofShorts(g, shorts) : Volume.ofFloats(g, floats);
    }

    /** Stored values of one frame, masked to BitsStored and sign-extended as the pixel representation says. */
    private static int[] storedValues(Path file, Attribute pixels, DicomFrame f, int plane) {
        int[] out = new int[plane];
        int offset = f.frame() * plane;
        int shift = 32 - f.bitsStored();
        try {
            if (f.bitsAllocated() == 16) {
                short[] s = pixels.getShortValues();
                require(file, s.length >= offset + plane, f, s.length);
                for (int i = 0; i < plane; i++) {
                    int raw = s[offset + i] & 0xffff;
                    out[i] = f.signed() ? (raw << shift) >> shift : (raw << shift) >>> shift;
                }
            } else {
                byte[] b = pixels.getByteValues();
                require(file, b.length >= offset + plane, f, b.length);
                for (int i = 0; i < plane; i++) {
                    int raw = b[offset + i] & 0xff;
                    out[i] = f.signed() ? (raw << shift) >> shift : (raw << shift) >>> shift;
                }
            }
        } catch (DicomException e) {
            throw new ImagingException(file, "cannot get pixel values: " + e.getMessage(), e);
        }
        return out;
    }

    private static void require(Path file, boolean ok, DicomFrame f, int have) {
        if (!ok) {
            throw new ImagingException(file, "pixel data too short for frame " + (f.frame() + 1) + " of " + f.columns() + "x" + f.rows()
                    + " (" + have + " values): truncated?");
        }
    }
}
