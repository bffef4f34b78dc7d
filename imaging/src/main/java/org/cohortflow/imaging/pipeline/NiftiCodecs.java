package org.cohortflow.imaging.pipeline;

import java.nio.ByteOrder;
import java.nio.file.Path;
import org.cohortflow.dsl.types.ValueCodec;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.Voxels;
import org.cohortflow.imaging.nifti.Nifti;
import org.cohortflow.imaging.nifti.NiftiDataType;

/**
 * Volumes and masks stored as gzipped NIfTI-2, which every imaging tool reads and which keeps the
 * geometry in double precision, so storing and reading back is lossless. Copies kept only for a run's
 * cache are the same NIfTI-2 without gzip ({@code .nii}): compressing is most of the cost of storing a
 * volume, and a cache copy is read back once at most.
 */
final class NiftiCodecs {
    private NiftiCodecs() {}

    static final ValueCodec VOLUME = new VolumeCodec(".nii.gz");

    static final ValueCodec MASK = new MaskCodec(".nii.gz");

    private record VolumeCodec(String extension) implements ValueCodec {
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

        @Override
        public ValueCodec forCache() {
            return extension.endsWith(".gz") ? new VolumeCodec(".nii") : this;
        }
    }

    private record MaskCodec(String extension) implements ValueCodec {
        @Override
        public void write(Object value, Path file) {
            Nifti.writeMask(file, (Mask) value, 2, ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public Object read(Path file) {
            return Nifti.readMask(file);
        }

        @Override
        public ValueCodec forCache() {
            return extension.endsWith(".gz") ? new MaskCodec(".nii") : this;
        }
    }
}
