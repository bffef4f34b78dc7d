package org.cohortflow.imaging;

/**
 * The voxel values of a {@link Volume}: one flat primitive array, x fastest, then y, then z.
 *
 * <p>Two variants keep memory close to the raw data: {@link ShortVoxels} (2 bytes per voxel) for integer
 * images that fit a signed 16-bit range (most CT and MR), and {@link FloatVoxels} (4 bytes) for everything
 * else (PET in SUV, rescaled or floating-point data).
 *
 * <p>Ownership: the constructors take the array they are given without copying it (copying a 300 MB CT
 * would double the memory); the caller must not modify it afterwards. Accessors that return arrays return
 * copies.
 */
public sealed interface Voxels permits Voxels.ShortVoxels, Voxels.FloatVoxels {

    /** Number of voxels. */
    int size();

    /** Value of voxel {@code index} as float (exact for both variants). */
    float get(int index);

    /** Bytes held by the backing array. */
    long sizeInBytes();

    /** A new float array with all values. */
    float[] toFloatArray();

    /**
     * Puts {@code count} values from voxel {@code from} into {@code target} at its position, in its byte order and
     * in this variant's own type (int16 or float32), and advances the position: a bulk copy for writers of files.
     */
    void put(int from, int count, java.nio.ByteBuffer target);

    /** Signed 16-bit voxels. */
    final class ShortVoxels implements Voxels {
        private final short[] values;

        /** Takes ownership of {@code values} (not copied). */
        public ShortVoxels(short[] values) {
            this.values = java.util.Objects.requireNonNull(values);
        }

        @Override public int size() { return values.length; }
        @Override public float get(int index) { return values[index]; }
        /** The raw 16-bit value of voxel {@code index}. */
        public short getShort(int index) { return values[index]; }
        @Override public long sizeInBytes() { return 2L * values.length; }

        @Override
        public float[] toFloatArray() {
            float[] out = new float[values.length];
            for (int i = 0; i < out.length; i++) out[i] = values[i];
            return out;
        }

        /** A copy of the values. */
        public short[] toShortArray() { return values.clone(); }

        @Override
        public void put(int from, int count, java.nio.ByteBuffer target) {
            target.asShortBuffer().put(values, from, count);
            target.position(target.position() + 2 * count);
        }
    }

    /** 32-bit floating point voxels. */
    final class FloatVoxels implements Voxels {
        private final float[] values;

        /** Takes ownership of {@code values} (not copied). */
        public FloatVoxels(float[] values) {
            this.values = java.util.Objects.requireNonNull(values);
        }

        @Override public int size() { return values.length; }
        @Override public float get(int index) { return values[index]; }
        @Override public long sizeInBytes() { return 4L * values.length; }
        @Override public float[] toFloatArray() { return values.clone(); }

        @Override
        public void put(int from, int count, java.nio.ByteBuffer target) {
            target.asFloatBuffer().put(values, from, count);
            target.position(target.position() + 4 * count);
        }
    }
}
