package org.cohortflow.imaging.nifti;

import java.nio.ByteOrder;

/**
 * The fields of a NIfTI-1 or NIfTI-2 header that matter for reading a 3-D image.
 *
 * <p>Both versions are represented with the wider NIfTI-2 field types. Spatial fields are in NIfTI's RAS
 * convention, exactly as stored in the file; {@link Nifti} converts them to LPS {@link
 * org.cohortflow.imaging.Geometry}.
 *
 * @param version    1 or 2
 * @param byteOrder  byte order of the header and voxel data
 * @param datatype   voxel datatype
 * @param dim        dim[0..7]
 * @param pixdim     pixdim[0..7] (pixdim[0] is qfac)
 * @param voxOffset  byte offset of the voxel data
 * @param sclSlope   scl_slope (0 or NaN means no scaling)
 * @param sclInter   scl_inter
 * @param qformCode  qform_code
 * @param sformCode  sform_code
 * @param quatern    quatern_b, quatern_c, quatern_d
 * @param qoffset    qoffset_x, qoffset_y, qoffset_z
 * @param srow       srow_x, srow_y, srow_z (12 values, row-major)
 * @param description descrip
 */
public record NiftiHeader(int version, ByteOrder byteOrder, NiftiDataType datatype, long[] dim, double[] pixdim,
                          long voxOffset, double sclSlope, double sclInter, int qformCode, int sformCode,
                          double[] quatern, double[] qoffset, double[] srow, String description) {

    /** Whether {@code scl_slope}/{@code scl_inter} change the stored values (slope 0 or NaN: no scaling). */
    public boolean isScaled() {
        boolean slopeActive = sclSlope != 0 && !Double.isNaN(sclSlope);
        return slopeActive && (sclSlope != 1 || (sclInter != 0 && !Double.isNaN(sclInter)));
    }

    /** Number of voxels (product of the used dims). */
    public long voxelCount() {
        long n = 1;
        for (int i = 1; i <= dim[0]; i++) n *= dim[i];
        return n;
    }
}
