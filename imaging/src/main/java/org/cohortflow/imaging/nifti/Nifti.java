package org.cohortflow.imaging.nifti;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.Voxels;

/**
 * Reads and writes single-file NIfTI-1 and NIfTI-2 images ({@code .nii}, {@code .nii.gz}) as LPS
 * {@link Volume}s and {@link Mask}s.
 *
 * <p>Orientation follows the NIfTI standard's precedence: {@code sform_code > 0} uses the sform,
 * otherwise {@code qform_code > 0} the quaternion qform, otherwise "method 1" (pixdim scaling only). All
 * three give RAS coordinates, which are converted to DICOM LPS by negating x and y. Gzip is detected from
 * the content (magic bytes), not the file name; on writing, a name ending in {@code .gz} is compressed.
 *
 * <p>Storage: 8- and 16-bit signed data and uint8 without scaling are kept as 16-bit voxels; everything
 * else (uint16, 32/64-bit integers, floats, scaled data) becomes float32. Integers up to 2^24 in
 * magnitude are therefore exact; larger int32/int64 values and float64 values are rounded to float32.
 * Voxel data is decoded in small chunks so a read never holds more than the final array plus one buffer.
 */
public final class Nifti {
    private static final int NIFTI1_HEADER = 348;
    private static final int NIFTI2_HEADER = 540;
    private static final int CHUNK = 1 << 16;
    private static final byte[] NIFTI2_MAGIC = {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'};

    private Nifti() {
    }

    // ------------------------------------------------------------------------------------------ reading

    /** Reads header and volume. */
    public static NiftiImage read(Path path) {
        try (InputStream in = open(path)) {
            NiftiHeader h = readHeader(path, in);
            int n = checkedVoxelCount(path, h);
            Geometry g = geometry(path, h);
            boolean asShort = !h.isScaled() && (h.datatype() == NiftiDataType.INT16 || h.datatype() == NiftiDataType.INT8
                    || h.datatype() == NiftiDataType.UINT8);
            Volume v;
            if (asShort) {
                short[] out = new short[n];
                decode(path, in, h, n, (i, value) -> out[i] = (short) value);
                v = Volume.ofShorts(g, out);
            } else {
                float[] out = new float[n];
                decode(path, in, h, n, (i, value) -> out[i] = (float) value);
                v = Volume.ofFloats(g, out);
            }
            return new NiftiImage(h, v);
        } catch (IOException e) {
            throw ioFailure(path, e);
        }
    }

    /** Reads the volume only. */
    public static Volume readVolume(Path path) {
        return read(path).volume();
    }

    /** Reads a mask: voxels whose (scaled) value is not zero are inside. */
    public static Mask readMask(Path path) {
        try (InputStream in = open(path)) {
            NiftiHeader h = readHeader(path, in);
            int n = checkedVoxelCount(path, h);
            Geometry g = geometry(path, h);
            BitSet bits = new BitSet(n);
            decode(path, in, h, n, (i, value) -> {
                if (value != 0) bits.set(i);
            });
            return new Mask(g, bits);
        } catch (IOException e) {
            throw ioFailure(path, e);
        }
    }

    /**
     * Reads one label of a multi-label image as a mask: the voxels whose value is {@code label}. An absent label
     * is an error naming the file and the labels present.
     */
    public static Mask readMask(Path path, long label) {
        try (InputStream in = open(path)) {
            NiftiHeader h = readHeader(path, in);
            int n = checkedVoxelCount(path, h);
            Geometry g = geometry(path, h);
            BitSet bits = new BitSet(n);
            java.util.TreeSet<Double> present = new java.util.TreeSet<>();
            decode(path, in, h, n, (i, value) -> {
                if (value == label) bits.set(i);
                else if (value != 0 && present.size() < 64) present.add(value);
            });
            if (bits.isEmpty()) {
                StringBuilder labels = new StringBuilder();
                for (double v : present) {
                    if (labels.length() > 0) labels.append(", ");
                    labels.append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
                }
                throw new ImagingException(path, "label " + label + " is not in the mask; labels present: "
                        + (labels.length() == 0 ? "none (all voxels are 0)" : labels));
            }
            return new Mask(g, bits);
        } catch (IOException e) {
            throw ioFailure(path, e);
        }
    }

    /** {@link #readMask(Path, long)} on {@code imageGeometry} (within {@link Mask#GRID_TOLERANCE_MM}). */
    public static Mask readMask(Path path, long label, Geometry imageGeometry) {
        Mask m = readMask(path, label);
        m.requireSameGrid(imageGeometry, Mask.GRID_TOLERANCE_MM, path);
        return m;
    }

    /**
     * Reads a mask that must lie on {@code imageGeometry} (within {@link Mask#GRID_TOLERANCE_MM}); throws an
     * {@link ImagingException} naming the mask file when it does not.
     */
    public static Mask readMask(Path path, Geometry imageGeometry) {
        Mask m = readMask(path);
        m.requireSameGrid(imageGeometry, Mask.GRID_TOLERANCE_MM, path);
        return m;
    }

    /** Reads only the header (and checks that it is a supported 3-D image). */
    public static NiftiHeader readHeader(Path path) {
        try (InputStream in = open(path)) {
            NiftiHeader h = readHeader(path, in);
            checkedVoxelCount(path, h);
            return h;
        } catch (IOException e) {
            throw ioFailure(path, e);
        }
    }

    /** The LPS geometry a header describes (sform, else qform, else pixdim). */
    public static Geometry geometry(NiftiHeader h) {
        return geometry(null, h);
    }

    private static Geometry geometry(Path path, NiftiHeader h) {
        int[] dims = {(int) dimOr1(h, 1), (int) dimOr1(h, 2), (int) dimOr1(h, 3)};
        double[] m = new double[9];     // RAS, columns = axes scaled by spacing
        double[] t = new double[3];
        if (h.sformCode() > 0) {
            double[] s = h.srow();
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) m[3 * r + c] = s[4 * r + c];
                t[r] = s[4 * r + 3];
            }
        } else if (h.qformCode() > 0) {
            double[] rot = quaternionToRotation(h.quatern()[0], h.quatern()[1], h.quatern()[2]);
            double qfac = h.pixdim()[0] < 0 ? -1 : 1;
            double[] d = {positiveOr1(h.pixdim()[1]), positiveOr1(h.pixdim()[2]), positiveOr1(h.pixdim()[3]) * qfac};
            for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) m[3 * r + c] = rot[3 * r + c] * d[c];
            t = h.qoffset().clone();
        } else {
            // Method 1 of the standard: no orientation, just voxel sizes. We read it as RAS like the others.
            for (int c = 0; c < 3; c++) m[4 * c] = positiveOr1(Math.abs(h.pixdim()[c + 1]));
        }
        double[] spacing = new double[3];
        double[] dir = new double[9];
        for (int c = 0; c < 3; c++) {
            double len = Math.sqrt(m[c] * m[c] + m[3 + c] * m[3 + c] + m[6 + c] * m[6 + c]);
            if (!(len > 0) || Double.isInfinite(len)) {
                throw new ImagingException(path, "bad NIfTI header: axis " + c + " of the "
                        + (h.sformCode() > 0 ? "sform" : h.qformCode() > 0 ? "qform" : "pixdim") + " has length " + len);
            }
            spacing[c] = len;
            // RAS -> LPS: negate the x and y rows.
            dir[c] = -m[c] / len;
            dir[3 + c] = -m[3 + c] / len;
            dir[6 + c] = m[6 + c] / len;
        }
        double[] origin = {-t[0], -t[1], t[2]};
        return new Geometry(dims, origin, spacing, dir);
    }

    private static long dimOr1(NiftiHeader h, int i) {
        return i <= h.dim()[0] ? h.dim()[i] : 1;
    }

    private static double positiveOr1(double v) {
        return v > 0 ? v : 1;
    }

    /** Rotation matrix (row-major) of the NIfTI quaternion (b, c, d), a computed as in nifti1_io.c. */
    static double[] quaternionToRotation(double b, double c, double d) {
        double a = 1.0 - (b * b + c * c + d * d);
        if (a < 1e-7) {
            // Not a unit quaternion: renormalise (b, c, d) and take a 180 degree rotation, as nifti1_io does.
            a = 1.0 / Math.sqrt(b * b + c * c + d * d);
            b *= a;
            c *= a;
            d *= a;
            a = 0;
        } else {
            a = Math.sqrt(a);
        }
        return new double[] {
            a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
            2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
            2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b};
    }

    private static InputStream open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new ImagingException(path, "no such NIfTI file");
        }
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(path), CHUNK);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new GZIPInputStream(in, CHUNK);
            } catch (IOException e) {
                in.close();
                throw new ImagingException(path, "corrupt gzip stream: " + e.getMessage(), e);
            }
        }
        return in;
    }

    private static ImagingException ioFailure(Path path, IOException e) {
        if (e instanceof ZipException) {
            return new ImagingException(path, "corrupt gzip stream: " + e.getMessage(), e);
        }
        if (e instanceof EOFException) {
            return new ImagingException(path, "truncated file (unexpected end of data: " + e.getMessage() + ")", e);
        }
        return new ImagingException(path, "cannot read NIfTI file: " + e, e);
    }

    private static NiftiHeader readHeader(Path path, InputStream in) throws IOException {
        byte[] first = in.readNBytes(4);
        if (first.length < 4) throw new ImagingException(path, "not a NIfTI file: only " + first.length + " bytes");
        int le = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int be = ByteBuffer.wrap(first).order(ByteOrder.BIG_ENDIAN).getInt();
        ByteOrder order;
        int size;
        if (le == NIFTI1_HEADER || le == NIFTI2_HEADER) {
            order = ByteOrder.LITTLE_ENDIAN;
            size = le;
        } else if (be == NIFTI1_HEADER || be == NIFTI2_HEADER) {
            order = ByteOrder.BIG_ENDIAN;
            size = be;
        } else {
            throw new ImagingException(path, "not a NIfTI-1/2 file: sizeof_hdr is " + le + " (expected 348 or 540)");
        }
        byte[] rest = in.readNBytes(size - 4);
        if (rest.length < size - 4) {
            throw new ImagingException(path, "truncated NIfTI header: " + (rest.length + 4) + " of " + size + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        b.put(first).put(rest).flip();
        NiftiHeader h = size == NIFTI1_HEADER ? parse1(path, b, order) : parse2(path, b, order);
        long consumed = size;
        if (h.voxOffset() < consumed) {
            throw new ImagingException(path, "bad NIfTI header: vox_offset " + h.voxOffset() + " lies inside the header");
        }
        long skip = h.voxOffset() - consumed;
        try {
            in.skipNBytes(skip);
        } catch (EOFException e) {
            throw new ImagingException(path, "truncated file: ends before vox_offset " + h.voxOffset(), e);
        }
        return h;
    }

    private static NiftiHeader parse1(Path path, ByteBuffer b, ByteOrder order) {
        String magic = new String(new byte[] {b.get(344), b.get(345), b.get(346)}, StandardCharsets.US_ASCII);
        if (magic.equals("ni1")) {
            throw new ImagingException(path, "two-file NIfTI (.hdr/.img) is not supported; convert to a single .nii");
        }
        if (!magic.equals("n+1")) {
            throw new ImagingException(path, "bad NIfTI-1 header: magic is '" + printable(magic) + "', expected 'n+1'");
        }
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) dim[i] = b.getShort(40 + 2 * i);
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) pixdim[i] = b.getFloat(76 + 4 * i);
        NiftiDataType dt = datatype(path, b.getShort(70), b.getShort(72));
        double[] srow = new double[12];
        for (int i = 0; i < 12; i++) srow[i] = b.getFloat(280 + 4 * i);
        return new NiftiHeader(1, order, dt, dim, pixdim, (long) b.getFloat(108), b.getFloat(112), b.getFloat(116),
                b.getShort(252), b.getShort(254),
                new double[] {b.getFloat(256), b.getFloat(260), b.getFloat(264)},
                new double[] {b.getFloat(268), b.getFloat(272), b.getFloat(276)}, srow, string(b, 148, 80));
    }

    private static NiftiHeader parse2(Path path, ByteBuffer b, ByteOrder order) {
        for (int i = 0; i < NIFTI2_MAGIC.length; i++) {
            if (b.get(4 + i) != NIFTI2_MAGIC[i]) {
                throw new ImagingException(path, "bad NIfTI-2 header: magic is not 'n+2' (two-file 'ni2' is not supported)");
            }
        }
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) dim[i] = b.getLong(16 + 8 * i);
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) pixdim[i] = b.getDouble(104 + 8 * i);
        NiftiDataType dt = datatype(path, b.getShort(12), b.getShort(14));
        double[] srow = new double[12];
        for (int i = 0; i < 12; i++) srow[i] = b.getDouble(400 + 8 * i);
        return new NiftiHeader(2, order, dt, dim, pixdim, b.getLong(168), b.getDouble(176), b.getDouble(184),
                b.getInt(344), b.getInt(348),
                new double[] {b.getDouble(352), b.getDouble(360), b.getDouble(368)},
                new double[] {b.getDouble(376), b.getDouble(384), b.getDouble(392)}, srow, string(b, 240, 80));
    }

    private static NiftiDataType datatype(Path path, int code, int bitpix) {
        NiftiDataType dt = NiftiDataType.fromCode(code);
        if (dt == null) {
            throw new ImagingException(path, "unsupported NIfTI datatype code " + code
                    + " (supported: uint8, int8, int16, uint16, int32, uint32, int64, float32, float64)");
        }
        if (bitpix != dt.bitpix()) {
            throw new ImagingException(path, "bad NIfTI header: bitpix " + bitpix + " does not match datatype " + dt + " (" + dt.bitpix() + ")");
        }
        return dt;
    }

    private static String string(ByteBuffer b, int offset, int max) {
        int len = 0;
        while (len < max && b.get(offset + len) != 0) len++;
        byte[] s = new byte[len];
        b.get(offset, s);
        return new String(s, StandardCharsets.ISO_8859_1).trim();
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static int checkedVoxelCount(Path path, NiftiHeader h) {
        long[] dim = h.dim();
        if (dim[0] < 1 || dim[0] > 7) throw new ImagingException(path, "bad NIfTI header: dim[0] = " + dim[0]);
        for (int i = 1; i <= dim[0]; i++) {
            if (dim[i] < 1) throw new ImagingException(path, "bad NIfTI header: dim[" + i + "] = " + dim[i]);
        }
        for (int i = 4; i <= dim[0]; i++) {
            if (dim[i] != 1) {
                throw new ImagingException(path, "only 3-D images are supported, dim[" + i + "] = " + dim[i]);
            }
        }
        long n = h.voxelCount();
        if (n > Integer.MAX_VALUE - 8) throw new ImagingException(path, "image too large: " + n + " voxels");
        return (int) n;
    }

    @FunctionalInterface
    private interface Sink {
        void put(int index, double value);
    }

    /** Streams {@code n} voxels from {@code in}, scaling them, into {@code sink}. */
    private static void decode(Path path, InputStream in, NiftiHeader h, int n, Sink sink) throws IOException {
        NiftiDataType dt = h.datatype();
        int bpv = dt.bytes();
        boolean scaled = h.isScaled();
        double slope = scaled ? h.sclSlope() : 1;
        double inter = scaled && !Double.isNaN(h.sclInter()) ? h.sclInter() : 0;
        byte[] buf = new byte[(CHUNK / bpv) * bpv];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(h.byteOrder());
        int done = 0;
        while (done < n) {
            int want = Math.min(buf.length, (n - done) * bpv);
            int got = in.readNBytes(buf, 0, want);
            if (got < want) {
                long expected = (long) n * bpv;
                long have = (long) done * bpv + got;
                throw new ImagingException(path, "truncated voxel data: expected " + expected + " bytes after vox_offset "
                        + h.voxOffset() + ", found " + have);
            }
            int count = want / bpv;
            for (int k = 0; k < count; k++) {
                int p = k * bpv;
                double v = switch (dt) {
                    case UINT8 -> buf[p] & 0xff;
                    case INT8 -> buf[p];
                    case INT16 -> bb.getShort(p);
                    case UINT16 -> bb.getShort(p) & 0xffff;
                    case INT32 -> bb.getInt(p);
                    case UINT32 -> bb.getInt(p) & 0xffffffffL;
                    case INT64 -> bb.getLong(p);
                    case FLOAT32 -> bb.getFloat(p);
                    case FLOAT64 -> bb.getDouble(p);
                };
                sink.put(done + k, scaled ? v * slope + inter : v);
            }
            done += count;
        }
    }

    // ------------------------------------------------------------------------------------------ writing

    /** Writes {@code volume} as NIfTI-1 in its natural datatype (int16 for 16-bit voxels, else float32). */
    public static void write(Path path, Volume volume) {
        write(path, volume, volume.voxels() instanceof Voxels.ShortVoxels ? NiftiDataType.INT16 : NiftiDataType.FLOAT32);
    }

    /** Writes {@code volume} as NIfTI-1 little-endian with datatype {@code type}. */
    public static void write(Path path, Volume volume, NiftiDataType type) {
        write(path, volume, type, 1, ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes {@code mask} as a NIfTI-1 uint8 image (1 inside, 0 outside). */
    public static void writeMask(Path path, Mask mask) {
        writeMask(path, mask, 1, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Writes {@code volume} with datatype {@code type}, NIfTI version {@code version} (1 or 2) and byte order
     * {@code order}; gzip-compressed when the file name ends in {@code .gz}. Values are stored unscaled
     * ({@code scl_slope = 1}); a value that the datatype cannot hold exactly is an error, not a silent
     * rounding. Both sform and (when the direction is a rotation) qform are written, with code 1 (scanner).
     */
    public static void write(Path path, Volume volume, NiftiDataType type, int version, ByteOrder order) {
        Voxels voxels = volume.voxels();
        // A volume in the datatype of its own voxels needs no check and no conversion: copied in bulk.
        if ((type == NiftiDataType.INT16 && voxels instanceof Voxels.ShortVoxels)
                || (type == NiftiDataType.FLOAT32 && voxels instanceof Voxels.FloatVoxels)) {
            writeBody(path, volume.geometry(), type, version, order, voxels::put);
            return;
        }
        write(path, volume.geometry(), type, version, order, volume::valueAt);
    }

    /**
     * Writes {@code mask} as uint8 (1 inside, 0 outside) with NIfTI version {@code version} (1 or 2) and byte order
     * {@code order}; gzip-compressed when the file name ends in {@code .gz}.
     */
    public static void writeMask(Path path, Mask mask, int version, ByteOrder order) {
        BitSet bits = mask.toBitSet();
        writeBody(path, mask.geometry(), NiftiDataType.UINT8, version, order, (from, count, out) -> {
            byte[] a = out.array();
            int at = out.arrayOffset() + out.position();
            java.util.Arrays.fill(a, at, at + count, (byte) 0);
            for (int i = bits.nextSetBit(from); i >= 0 && i < from + count; i = bits.nextSetBit(i + 1)) {
                a[at + i - from] = 1;
            }
            out.position(out.position() + count);
        });
    }

    @FunctionalInterface
    private interface Source {
        double get(int index);
    }

    /** Fills {@code out} from its position with the stored bytes of {@code count} voxels from voxel {@code from}. */
    @FunctionalInterface
    private interface Chunks {
        void put(int from, int count, ByteBuffer out);
    }

    private static void write(Path path, Geometry g, NiftiDataType type, int version, ByteOrder order, Source src) {
        int n = g.voxelCount();
        // Check every value before creating the file, so that a bad datatype choice leaves nothing behind.
        for (int i = 0; i < n; i++) {
            double v = src.get(i);
            if (type.isInteger() && (v != Math.rint(v) || v < type.minValue() || v > type.maxValue())) {
                throw new ImagingException(path, "voxel " + i + " value " + v + " cannot be stored exactly as " + type);
            }
            if (type == NiftiDataType.FLOAT32 && Double.isFinite(v) && Math.abs(v) > Float.MAX_VALUE) {
                throw new ImagingException(path, "voxel " + i + " value " + v + " overflows float32");
            }
        }
        int bpv = type.bytes();
        writeBody(path, g, type, version, order, (from, count, bb) -> {
            int base = bb.position();
            for (int k = 0; k < count; k++) {
                double v = src.get(from + k);
                int p = base + k * bpv;
                switch (type) {
                    case UINT8, INT8 -> bb.put(p, (byte) (long) v);
                    case INT16, UINT16 -> bb.putShort(p, (short) (long) v);
                    case INT32, UINT32 -> bb.putInt(p, (int) (long) v);
                    case INT64 -> bb.putLong(p, (long) v);
                    case FLOAT32 -> bb.putFloat(p, (float) v);
                    case FLOAT64 -> bb.putDouble(p, v);
                }
            }
            bb.position(base + count * bpv);
        });
    }

    private static void writeBody(Path path, Geometry g, NiftiDataType type, int version, ByteOrder order, Chunks chunks) {
        if (version != 1 && version != 2) throw new IllegalArgumentException("NIfTI version must be 1 or 2: " + version);
        int n = g.voxelCount();
        ByteBuffer header = version == 1 ? header1(g, type, order) : header2(g, type, order);
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(path), CHUNK);
                 OutputStream out = path.getFileName().toString().endsWith(".gz") ? new FastGzip(raw) : raw) {
                out.write(header.array());
                out.write(new byte[4]);     // no extensions
                int bpv = type.bytes();
                ByteBuffer bb = ByteBuffer.allocate((CHUNK / bpv) * bpv).order(order);
                int done = 0;
                while (done < n) {
                    int count = Math.min(bb.capacity() / bpv, n - done);
                    bb.clear();
                    chunks.put(done, count, bb);
                    out.write(bb.array(), 0, count * bpv);
                    done += count;
                }
            }
        } catch (IOException e) {
            throw new ImagingException(path, "cannot write NIfTI file: " + e, e);
        }
    }

    /** The NIfTI (RAS) spatial encoding of an LPS geometry. */
    private record Spatial(double[] srow, double[] pixdim, int qformCode, double[] quatern, double[] qoffset) {
    }

    private static Spatial spatial(Geometry g) {
        double[] d = g.direction();
        double[] s = g.spacing();
        double[] o = g.origin();
        double[] ras = new double[9];   // unit direction in RAS
        for (int c = 0; c < 3; c++) {
            ras[c] = -d[c];
            ras[3 + c] = -d[3 + c];
            ras[6 + c] = d[6 + c];
        }
        double[] srow = new double[12];
        double[] t = {-o[0], -o[1], o[2]};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) srow[4 * r + c] = ras[3 * r + c] * s[c];
            srow[4 * r + 3] = t[r];
        }
        double[] pixdim = {1, s[0], s[1], s[2], 0, 0, 0, 0};
        int qformCode = 0;
        double[] quatern = new double[3];
        if (isOrthonormal(ras)) {
            double det = det3(ras);
            double[] rot = ras.clone();
            if (det < 0) {
                pixdim[0] = -1;
                rot[2] = -rot[2];
                rot[5] = -rot[5];
                rot[8] = -rot[8];
            }
            quatern = rotationToQuaternion(rot);
            qformCode = 1;
        }
        return new Spatial(srow, pixdim, qformCode, quatern, t);
    }

    private static boolean isOrthonormal(double[] m) {
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double dot = m[a] * m[b] + m[3 + a] * m[3 + b] + m[6 + a] * m[6 + b];
                if (Math.abs(dot - (a == b ? 1 : 0)) > 1e-5) return false;
            }
        }
        return true;
    }

    private static double det3(double[] m) {
        return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
    }

    /** Quaternion (b, c, d) with a >= 0 of a proper rotation, as nifti_mat44_to_quatern computes it. */
    static double[] rotationToQuaternion(double[] r) {
        double r11 = r[0], r12 = r[1], r13 = r[2], r21 = r[3], r22 = r[4], r23 = r[5], r31 = r[6], r32 = r[7], r33 = r[8];
        double a = r11 + r22 + r33 + 1, b, c, d;
        if (a > 0.5) {
            a = 0.5 * Math.sqrt(a);
            b = 0.25 * (r32 - r23) / a;
            c = 0.25 * (r13 - r31) / a;
            d = 0.25 * (r21 - r12) / a;
        } else {
            double xd = 1 + r11 - (r22 + r33), yd = 1 + r22 - (r11 + r33), zd = 1 + r33 - (r11 + r22);
            if (xd > 1) {
                b = 0.5 * Math.sqrt(xd);
                c = 0.25 * (r12 + r21) / b;
                d = 0.25 * (r13 + r31) / b;
                a = 0.25 * (r32 - r23) / b;
            } else if (yd > 1) {
                c = 0.5 * Math.sqrt(yd);
                b = 0.25 * (r12 + r21) / c;
                d = 0.25 * (r23 + r32) / c;
                a = 0.25 * (r13 - r31) / c;
            } else {
                d = 0.5 * Math.sqrt(zd);
                b = 0.25 * (r13 + r31) / d;
                c = 0.25 * (r23 + r32) / d;
                a = 0.25 * (r21 - r12) / d;
            }
            if (a < 0) {
                b = -b;
                c = -c;
                d = -d;
            }
        }
        return new double[] {b, c, d};
    }

    private static ByteBuffer header1(Geometry g, NiftiDataType type, ByteOrder order) {
        Spatial sp = spatial(g);
        ByteBuffer b = ByteBuffer.allocate(NIFTI1_HEADER).order(order);
        b.putInt(0, NIFTI1_HEADER);
        b.put(38, (byte) 'r');  // "regular", still checked by some old readers
        short[] dim = {3, (short) g.nx(), (short) g.ny(), (short) g.nz(), 1, 1, 1, 1};
        if (g.nx() > Short.MAX_VALUE || g.ny() > Short.MAX_VALUE || g.nz() > Short.MAX_VALUE) {
            throw new ImagingException("dimensions " + java.util.Arrays.toString(g.dims()) + " exceed NIfTI-1 limits; write NIfTI-2");
        }
        for (int i = 0; i < 8; i++) b.putShort(40 + 2 * i, dim[i]);
        b.putShort(70, (short) type.code());
        b.putShort(72, (short) type.bitpix());
        for (int i = 0; i < 8; i++) b.putFloat(76 + 4 * i, (float) sp.pixdim()[i]);
        b.putFloat(108, NIFTI1_HEADER + 4);
        b.putFloat(112, 1f);
        b.putFloat(116, 0f);
        b.put(123, (byte) 2);   // xyzt_units: mm
        b.put(148, "cohortflow".getBytes(StandardCharsets.US_ASCII));
        b.putShort(252, (short) sp.qformCode());
        b.putShort(254, (short) 1);
        for (int i = 0; i < 3; i++) b.putFloat(256 + 4 * i, (float) sp.quatern()[i]);
        for (int i = 0; i < 3; i++) b.putFloat(268 + 4 * i, (float) sp.qoffset()[i]);
        for (int i = 0; i < 12; i++) b.putFloat(280 + 4 * i, (float) sp.srow()[i]);
        b.put(344, new byte[] {'n', '+', '1', 0});
        return b;
    }

    private static ByteBuffer header2(Geometry g, NiftiDataType type, ByteOrder order) {
        Spatial sp = spatial(g);
        ByteBuffer b = ByteBuffer.allocate(NIFTI2_HEADER).order(order);
        b.putInt(0, NIFTI2_HEADER);
        b.put(4, NIFTI2_MAGIC);
        b.putShort(12, (short) type.code());
        b.putShort(14, (short) type.bitpix());
        long[] dim = {3, g.nx(), g.ny(), g.nz(), 1, 1, 1, 1};
        for (int i = 0; i < 8; i++) b.putLong(16 + 8 * i, dim[i]);
        for (int i = 0; i < 8; i++) b.putDouble(104 + 8 * i, sp.pixdim()[i]);
        b.putLong(168, NIFTI2_HEADER + 4);
        b.putDouble(176, 1.0);
        b.putDouble(184, 0.0);
        b.put(240, "cohortflow".getBytes(StandardCharsets.US_ASCII));
        b.putInt(344, sp.qformCode());
        b.putInt(348, 1);
        for (int i = 0; i < 3; i++) b.putDouble(352 + 8 * i, sp.quatern()[i]);
        for (int i = 0; i < 3; i++) b.putDouble(376 + 8 * i, sp.qoffset()[i]);
        for (int i = 0; i < 12; i++) b.putDouble(400 + 8 * i, sp.srow()[i]);
        b.putInt(500, 2);       // xyzt_units: mm
        return b;
    }

    /**
     * gzip at the fastest level: volumes pass between pipeline steps as .nii.gz, and at the default level
     * compressing took most of a radiomics job's time. Measured on the STS_001 CT (9.4 MB raw): level 6
     * 905 ms and 3.42 MB, level 1 125 ms and 3.83 MB.
     */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, CHUNK);
            def.setLevel(java.util.zip.Deflater.BEST_SPEED);
        }
    }
}
