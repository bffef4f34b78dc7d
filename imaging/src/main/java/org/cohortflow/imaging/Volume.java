package org.cohortflow.imaging;

import java.util.Objects;

/**
 * A 3-D image: voxel values on a {@link Geometry} in DICOM patient coordinates (LPS).
 *
 * <p>This is what readers produce (NIfTI, DICOM series) and what image-processing and feature code consumes.
 * Values are exposed as {@code float} whatever the storage ({@link Voxels.ShortVoxels} or
 * {@link Voxels.FloatVoxels}), so consumers need not care which one a reader chose. Immutable: the voxel
 * array is owned by the volume (see {@link Voxels}).
 */
public final class Volume {
    private final Geometry geometry;
    private final Voxels voxels;

    /** A volume; {@code voxels} must have exactly {@code geometry.voxelCount()} values. */
    public Volume(Geometry geometry, Voxels voxels) {
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.voxels = Objects.requireNonNull(voxels, "voxels");
        if (voxels.size() != geometry.voxelCount()) {
            throw new IllegalArgumentException("voxel count " + voxels.size() + " does not match geometry " + geometry);
        }
    }

    /** A float volume taking ownership of {@code values} (x fastest). */
    public static Volume ofFloats(Geometry geometry, float[] values) {
        return new Volume(geometry, new Voxels.FloatVoxels(values));
    }

    /** A 16-bit volume taking ownership of {@code values} (x fastest). */
    public static Volume ofShorts(Geometry geometry, short[] values) {
        return new Volume(geometry, new Voxels.ShortVoxels(values));
    }

    public Geometry geometry() { return geometry; }

    /** The storage; pattern-match on it for type-specific fast paths. */
    public Voxels voxels() { return voxels; }

    /** Value at voxel (x, y, z). */
    public float valueAt(int x, int y, int z) {
        if (!geometry.contains(x, y, z)) {
            throw new IndexOutOfBoundsException("voxel (" + x + ", " + y + ", " + z + ") outside " + geometry);
        }
        return voxels.get(geometry.index(x, y, z));
    }

    /** Value at flat index {@code index} (x fastest). */
    public float valueAt(int index) { return voxels.get(index); }

    /** A new array with all values as float, x fastest. */
    public float[] toFloatArray() { return voxels.toFloatArray(); }

    /** Number of voxels. */
    public int voxelCount() { return voxels.size(); }

    /** Bytes held by the voxel array (the geometry is negligible). */
    public long sizeInBytes() { return voxels.sizeInBytes(); }

    @Override
    public String toString() {
        return "Volume[" + voxels.getClass().getSimpleName() + ", " + geometry + "]";
    }
}
