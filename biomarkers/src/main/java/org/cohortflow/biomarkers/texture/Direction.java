package org.cohortflow.biomarkers.texture;

import java.util.ArrayList;
import java.util.List;

/**
 * A neighbour offset in voxels. IBSI uses 4 in-plane directions for 2D and 13 for 3D; the opposite
 * directions are covered by symmetry (co-occurrence) or by construction (runs).
 *
 * @param dx offset along x
 * @param dy offset along y
 * @param dz offset along z (slices)
 */
public record Direction(int dx, int dy, int dz) {

    /** @return the 4 in-plane directions: 0, 45, 90 and 135 degrees */
    public static List<Direction> inPlane() {
        return List.of(new Direction(1, 0, 0), new Direction(1, 1, 0), new Direction(0, 1, 0),
                new Direction(-1, 1, 0));
    }

    /** @return the 13 unique 3D directions of the 26-neighbourhood */
    public static List<Direction> volumetric() {
        List<Direction> out = new ArrayList<>();
        for (int dz = -1; dz <= 1; dz++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    if (isFirstNonZeroPositive(dz, dy, dx)) {
                        out.add(new Direction(dx, dy, dz));
                    }
                }
            }
        }
        return out;
    }

    private static boolean isFirstNonZeroPositive(int a, int b, int c) {
        if (a != 0) return a > 0;
        if (b != 0) return b > 0;
        return c > 0;
    }

    /** @return this offset scaled by {@code distance} voxels (Chebyshev distance) */
    public Direction times(int distance) {
        return new Direction(dx * distance, dy * distance, dz * distance);
    }
}
