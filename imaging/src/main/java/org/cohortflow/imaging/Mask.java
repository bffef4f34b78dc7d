package org.cohortflow.imaging;

import java.util.BitSet;
import java.util.Objects;

/**
 * A binary region of interest on the voxel grid of an image (one bit per voxel, x fastest).
 *
 * <p>Produced by the NIfTI reader (non-zero voxels) and by RTSTRUCT rasterisation; consumed by feature code
 * together with a {@link Volume} of the same {@link Geometry} (see {@link #requireSameGrid}). Immutable: the
 * bit set is copied on the way in and out.
 */
public final class Mask {
    /** Tolerance (mm) used when checking that a mask fits an image read from another file. */
    public static final double GRID_TOLERANCE_MM = 1e-3;

    private final Geometry geometry;
    private final BitSet bits;

    /** A mask with voxels set where {@code bits} is set (copied); bits beyond the voxel count are rejected. */
    public Mask(Geometry geometry, BitSet bits) {
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        if (bits.length() > geometry.voxelCount()) {
            throw new IllegalArgumentException("bit " + (bits.length() - 1) + " outside grid of " + geometry.voxelCount() + " voxels");
        }
        this.bits = (BitSet) bits.clone();
    }

    /** A mask from one byte per voxel (non-zero = inside). */
    public static Mask fromBytes(Geometry geometry, byte[] values) {
        if (values.length != geometry.voxelCount()) {
            throw new IllegalArgumentException("value count " + values.length + " does not match geometry " + geometry);
        }
        BitSet b = new BitSet(values.length);
        for (int i = 0; i < values.length; i++) if (values[i] != 0) b.set(i);
        return new Mask(geometry, b);
    }

    /** A mask of the voxels of {@code volume} whose value is not zero. */
    public static Mask nonZero(Volume volume) {
        BitSet b = new BitSet(volume.voxelCount());
        for (int i = 0; i < volume.voxelCount(); i++) if (volume.valueAt(i) != 0f) b.set(i);
        return new Mask(volume.geometry(), b);
    }

    public Geometry geometry() { return geometry; }

    /** Whether voxel (x, y, z) is inside the region; false outside the grid. */
    public boolean contains(int x, int y, int z) {
        return geometry.contains(x, y, z) && bits.get(geometry.index(x, y, z));
    }

    /** Whether the voxel at flat index {@code index} is inside the region. */
    public boolean contains(int index) { return bits.get(index); }

    /** Number of voxels inside the region. */
    public int count() { return bits.cardinality(); }

    /** A copy of the bits (x fastest). */
    public BitSet toBitSet() { return (BitSet) bits.clone(); }

    /** Dice coefficient 2|A∩B| / (|A|+|B|) with a mask on the same grid; 1 when both are empty. */
    public double dice(Mask other) {
        requireSameGrid(other.geometry, GRID_TOLERANCE_MM, null);
        BitSet and = (BitSet) bits.clone();
        and.and(other.bits);
        int total = count() + other.count();
        return total == 0 ? 1.0 : 2.0 * and.cardinality() / total;
    }

    /**
     * Throws when {@code imageGeometry} is not this mask's grid within {@code toleranceMm}; {@code source}
     * (may be null) is the mask's file, named in the error.
     */
    public void requireSameGrid(Geometry imageGeometry, double toleranceMm, java.nio.file.Path source) {
        String why = geometry.mismatch(imageGeometry, toleranceMm);
        if (why != null) {
            throw new ImagingException(source, "mask geometry does not match its image: " + why);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && geometry.equals(m.geometry) && bits.equals(m.bits);
    }

    @Override
    public int hashCode() { return 31 * geometry.hashCode() + bits.hashCode(); }

    @Override
    public String toString() { return "Mask[" + count() + " voxels, " + geometry + "]"; }
}
