package org.cohortflow.biomarkers.filter;

import java.util.Locale;

/**
 * IBSI 2's boundary conditions: how a filter sees the image beyond its edges (reference manual, "Boundary
 * conditions"). Each maps an index outside {@code [0, n)} back inside, or to nothing (zero padding), axis by
 * axis; because the mapping is per axis, a separable filter applied axis after axis sees exactly the padded
 * image a full 3D convolution would.
 */
public enum Boundary {
    /** Constant zero beyond the edges. */
    ZERO,
    /** The edge voxel repeated ({@code a a a | a b c d | d d d}). */
    NEAREST,
    /** The image repeated ({@code b c d | a b c d | a b c}). */
    PERIODIC,
    /** The image mirrored, edge voxel included ({@code c b a | a b c d | d c b}), IBSI's "mirror" (scipy "reflect"). */
    MIRROR;

    /** The index inside {@code [0, n)} whose value index {@code i} takes, or -1 for zero. */
    public int index(int i, int n) {
        if (i >= 0 && i < n) return i;
        return switch (this) {
            case ZERO -> -1;
            case NEAREST -> i < 0 ? 0 : n - 1;
            case PERIODIC -> Math.floorMod(i, n);
            case MIRROR -> {
                int m = Math.floorMod(i, 2 * n);
                yield m < n ? m : 2 * n - 1 - m;
            }
        };
    }

    /** The boundary named {@code name} (case-insensitive), or an exception listing the names. */
    public static Boundary parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown boundary condition '" + name
                    + "': expected zero, nearest, periodic or mirror");
        }
    }
}
