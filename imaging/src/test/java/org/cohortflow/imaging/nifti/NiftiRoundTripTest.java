package org.cohortflow.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.Voxels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NiftiRoundTripTest {

    @TempDir
    Path tmp;

    /** An oblique, left-handed grid so that the qform needs qfac = -1 and every matrix element matters. */
    static Geometry obliqueGeometry(int nx, int ny, int nz) {
        double a = Math.toRadians(20), b = Math.toRadians(-35);
        // rotation about z then about x, then the slice axis flipped (left-handed, as many DICOM series are)
        double[] rz = {Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1};
        double[] rx = {1, 0, 0, 0, Math.cos(b), -Math.sin(b), 0, Math.sin(b), Math.cos(b)};
        double[] r = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) r[3 * i + j] += rz[3 * i + k] * rx[3 * k + j];
        r[2] = -r[2];
        r[5] = -r[5];
        r[8] = -r[8];
        return new Geometry(new int[] {nx, ny, nz}, new double[] {-12.5, 30.25, -881.32}, new double[] {0.9765625, 1.5, 3.27}, r);
    }

    /** Values spanning the datatype's range as far as a float32 volume holds them exactly. */
    static float[] valuesFor(NiftiDataType t, int n) {
        double lo = Math.max(t.minValue(), -(1 << 24)), hi = Math.min(t.maxValue(), 1 << 24);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double f = (double) i / (n - 1);
            double x = lo + f * (hi - lo);
            // + 0.0 turns rint's -0.0 into the 0 an integer type stores
            v[i] = (float) (t.isInteger() ? Math.rint(x) + 0.0 : x * 1.000123 + 0.3);
        }
        v[0] = (float) lo;
        v[n - 1] = (float) hi;
        if (!t.isInteger()) v[1] = Float.MIN_NORMAL;
        return v;
    }

    static Stream<Arguments> everyDatatypeVersionOrderAndCompression() {
        List<Arguments> args = new ArrayList<>();
        for (NiftiDataType t : NiftiDataType.values()) {
            for (int version : new int[] {1, 2}) {
                for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                    for (String ext : new String[] {".nii", ".nii.gz"}) args.add(Arguments.of(t, version, order, ext));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} NIfTI-{1} {2} {3}")
    @MethodSource("everyDatatypeVersionOrderAndCompression")
    void writeThenReadIsLosslessForEveryDatatype(NiftiDataType type, int version, ByteOrder order, String ext) {
        Geometry g = obliqueGeometry(7, 5, 3);
        float[] values = valuesFor(type, g.voxelCount());
        Path file = tmp.resolve("img-" + type + version + order + ext);
        Nifti.write(file, Volume.ofFloats(g, values.clone()), type, version, order);

        NiftiImage back = Nifti.read(file);
        assertEquals(type, back.header().datatype());
        assertEquals(version, back.header().version());
        assertEquals(order, back.header().byteOrder());
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], back.volume().valueAt(i), "voxel " + i);
        }
        Geometry rg = back.volume().geometry();
        // NIfTI-1 stores float32 spatial fields, so millimetre agreement is what can be promised there.
        double tol = version == 1 ? 1e-4 : 1e-9;
        assertTrue(g.sameGrid(rg, tol), () -> g.mismatch(rg, tol));
    }

    /**
     * Voxels written in their own datatype are copied in bulk; the bytes must be those of the checked, converting
     * path, which a float volume of the same values takes. Both byte orders, both versions, more voxels than one chunk.
     */
    @ParameterizedTest(name = "NIfTI-{0} {1}")
    @MethodSource("versionsAndOrders")
    void theBulkCopyOfShortAndFloatVoxelsWritesTheBytesOfTheConvertingPath(int version, ByteOrder order) throws Exception {
        Geometry g = obliqueGeometry(61, 47, 13);
        int n = g.voxelCount();
        short[] shorts = new short[n];
        float[] asFloats = new float[n];
        float[] floats = new float[n];
        for (int i = 0; i < n; i++) {
            shorts[i] = (short) ((i * 7919) % 65536 - 32768);
            asFloats[i] = shorts[i];
            floats[i] = (float) Math.sin(i * 0.01) * 1000.5f;
        }
        Path bulk = tmp.resolve("bulk.nii");
        Path checked = tmp.resolve("checked.nii");
        Nifti.write(bulk, Volume.ofShorts(g, shorts), NiftiDataType.INT16, version, order);
        Nifti.write(checked, Volume.ofFloats(g, asFloats), NiftiDataType.INT16, version, order);
        assertArrayEquals(java.nio.file.Files.readAllBytes(checked), java.nio.file.Files.readAllBytes(bulk));
        // Float voxels to float32 in bulk, against the same values through float64 and back (checked path).
        Nifti.write(bulk, Volume.ofFloats(g, floats), NiftiDataType.FLOAT32, version, order);
        Volume read = Nifti.readVolume(bulk);
        for (int i = 0; i < n; i += 97) {
            assertEquals(floats[i], read.voxels().get(i));
        }
        // A mask as uint8: the bulk path against the checked path of a 0/1 volume.
        short[] bits = new short[n];
        for (int i = 0; i < n; i++) bits[i] = (short) (i % 5 == 0 || i > n - 700 ? 1 : 0);
        Mask m = Mask.nonZero(Volume.ofShorts(g, bits.clone()));
        Nifti.writeMask(bulk, m, version, order);
        Nifti.write(checked, Volume.ofShorts(g, bits), NiftiDataType.UINT8, version, order);
        assertArrayEquals(java.nio.file.Files.readAllBytes(checked), java.nio.file.Files.readAllBytes(bulk));
    }

    static Stream<Arguments> versionsAndOrders() {
        return Stream.of(Arguments.of(1, ByteOrder.LITTLE_ENDIAN), Arguments.of(1, ByteOrder.BIG_ENDIAN),
                Arguments.of(2, ByteOrder.LITTLE_ENDIAN), Arguments.of(2, ByteOrder.BIG_ENDIAN));
    }

    @Test
    void smallIntegerTypesAreKeptAsShortVoxels() {
        Geometry g = Geometry.of(4, 3, 2, new double[3], new double[] {1, 1, 1});
        for (NiftiDataType t : List.of(NiftiDataType.UINT8, NiftiDataType.INT8, NiftiDataType.INT16)) {
            Path f = tmp.resolve(t + ".nii");
            Nifti.write(f, Volume.ofFloats(g, valuesFor(t, g.voxelCount())), t);
            assertInstanceOf(Voxels.ShortVoxels.class, Nifti.readVolume(f).voxels(), t.toString());
        }
    }

    @Test
    void qformIsUsedWhenThereIsNoSformAndAgreesWithIt() throws Exception {
        Geometry g = obliqueGeometry(3, 4, 5);
        Path f = tmp.resolve("q.nii");
        Nifti.write(f, Volume.ofFloats(g, new float[g.voxelCount()]), NiftiDataType.FLOAT32, 2, ByteOrder.LITTLE_ENDIAN);
        // Zero the sform_code (offset 348 in NIfTI-2) so the reader must fall back to the quaternion.
        byte[] bytes = java.nio.file.Files.readAllBytes(f);
        java.nio.ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(348, 0);
        java.nio.file.Files.write(f, bytes);
        NiftiImage img = Nifti.read(f);
        assertEquals(0, img.header().sformCode());
        assertEquals(1, img.header().qformCode());
        assertTrue(g.sameGrid(img.volume().geometry(), 1e-6), () -> g.mismatch(img.volume().geometry(), 1e-6));
    }

    @Test
    void sformWinsOverADifferentQform() throws Exception {
        Geometry g = obliqueGeometry(3, 4, 5);
        Path f = tmp.resolve("s.nii");
        Nifti.write(f, Volume.ofFloats(g, new float[g.voxelCount()]), NiftiDataType.FLOAT32, 1, ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = java.nio.file.Files.readAllBytes(f);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.putFloat(268, 1000f);    // qoffset_x: the qform now disagrees
        java.nio.file.Files.write(f, bytes);
        assertTrue(g.sameGrid(Nifti.readVolume(f).geometry(), 1e-4));
        bb.putShort(254, (short) 0);    // without the sform the (shifted) qform applies
        java.nio.file.Files.write(f, bytes);
        assertEquals(-1000, Nifti.readVolume(f).geometry().origin()[0], 1e-3);
    }

    @Test
    void sclSlopeAndInterceptAreApplied() throws Exception {
        Geometry g = Geometry.of(4, 1, 1, new double[3], new double[] {1, 1, 1});
        Path f = tmp.resolve("scaled.nii");
        Nifti.write(f, Volume.ofFloats(g, new float[] {0, 1, 2, -3}), NiftiDataType.INT16);
        byte[] bytes = java.nio.file.Files.readAllBytes(f);
        java.nio.ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(112, 2.5f).putFloat(116, -10f);
        java.nio.file.Files.write(f, bytes);
        Volume v = Nifti.readVolume(f);
        assertInstanceOf(Voxels.FloatVoxels.class, v.voxels());
        assertEquals(-10f, v.valueAt(0));
        assertEquals(-7.5f, v.valueAt(1));
        assertEquals(-5f, v.valueAt(2));
        assertEquals(-17.5f, v.valueAt(3));
    }

    @Test
    void valuesTheDatatypeCannotHoldAreRejected() {
        Geometry g = Geometry.of(2, 1, 1, new double[3], new double[] {1, 1, 1});
        Path f = tmp.resolve("bad.nii");
        ImagingException e = assertThrows(ImagingException.class,
                () -> Nifti.write(f, Volume.ofFloats(g, new float[] {1.5f, 300f}), NiftiDataType.UINT8));
        assertTrue(e.getMessage().contains("bad.nii"), e.getMessage());
        assertTrue(!java.nio.file.Files.exists(f), "nothing should be written");
    }

    @Test
    void maskRoundTripKeepsEveryVoxel() {
        Geometry g = obliqueGeometry(9, 8, 7);
        java.util.BitSet bits = new java.util.BitSet();
        for (int i = 0; i < g.voxelCount(); i += 3) bits.set(i);
        Mask m = new Mask(g, bits);
        Path f = tmp.resolve("mask.nii.gz");
        Nifti.writeMask(f, m);
        Mask back = Nifti.readMask(f, g);
        assertEquals(m.toBitSet(), back.toBitSet());
        assertEquals(1.0, m.dice(back));
    }
}
