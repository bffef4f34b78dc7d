package org.cohortflow.imaging.pipeline;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.BitSet;
import org.cohortflow.dsl.types.ValueCodec;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.Voxels;
import org.cohortflow.imaging.nifti.Nifti;
import org.cohortflow.imaging.nifti.NiftiDataType;

/**
 * Volumes and masks stored as gzipped NIfTI-2, which every imaging tool reads and which keeps the
 * geometry in double precision, so storing and reading back is lossless.
 */
final class NiftiCodecs {
    private NiftiCodecs() {}

    static final ValueCodec VOLUME = new ValueCodec() {
        @Override
        public String extension() {
            return ".nii.gz";
        }

        @Override
        public void write(Object value, Path file) {
            Volume v = (Volume) value;
            Nifti.write(file, v, v.voxels() instanceof Voxels.ShortVoxels ? NiftiDataType.INT16 : NiftiDataType.FLOAT32,
                    2, ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public Object read(Path file) {
            return Nifti.readVolume(file);
        }
    };

    static final ValueCodec MASK = new ValueCodec() {
        @Override
        public String extension() {
            return ".nii.gz";
        }

        @Override
        public void write(Object value, Path file) {
            Mask m = (Mask) value;
            BitSet bits = m.toBitSet();
            short[] voxels = new short[m.geometry().voxelCount()];
            for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
                voxels[i] = 1;
            }
            Nifti.write(file, Volume.ofShorts(m.geometry(), voxels), NiftiDataType.UINT8, 2, ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public Object read(Path file) {
            return Nifti.readMask(file);
        }
    };
}
