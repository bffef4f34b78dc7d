package org.cohortflow.tasks.images;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes a single-file NIfTI-1 volume ({@code .nii}, little endian) from voxels and a voxel-to-RAS sform. */
final class Nifti1 {
    private static final int HEADER = 348;
    private static final int OFFSET = 352;

    private Nifti1() {
    }

    /**
     * @param datatype NIfTI datatype code (2 uint8, 4 int16, 16 float32, 256 int8, 512 uint16)
     * @param sform    3x4 matrix, voxel (i, j, k) to RAS millimetres
     * @param data     voxels, i fastest, little endian
     */
    static byte[] write(int nx, int ny, int nz, int datatype, int bitpix, double[] spacing, double[][] sform, double slope,
                        double intercept, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(OFFSET + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, HEADER);
        b.put(38, (byte) 'r');
        short[] dim = {3, (short) nx, (short) ny, (short) nz, 1, 1, 1, 1};
        for (int i = 0; i < dim.length; i++) b.putShort(40 + 2 * i, dim[i]);
        b.putShort(70, (short) datatype);
        b.putShort(72, (short) bitpix);
        float[] pixdim = {1, (float) spacing[0], (float) spacing[1], (float) spacing[2], 1, 1, 1, 1};
        for (int i = 0; i < pixdim.length; i++) b.putFloat(76 + 4 * i, pixdim[i]);
        b.putFloat(108, OFFSET);
        b.putFloat(112, (float) slope);
        b.putFloat(116, (float) intercept);
        b.put(123, (byte) 2); // millimetres
        byte[] descrip = "cohortflow tasks: DICOMweb series".getBytes(StandardCharsets.US_ASCII);
        b.put(148, descrip);
        b.putShort(252, (short) 0); // qform: none; the sform is exact
        b.putShort(254, (short) 1); // sform: scanner coordinates
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 4; col++) {
                b.putFloat(280 + 16 * row + 4 * col, (float) sform[row][col]);
            }
        }
        b.put(344, "n+1\0".getBytes(StandardCharsets.US_ASCII));
        b.put(OFFSET, data);
        return b.array();
    }
}
