package org.cohortflow.biomarkers.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The index mappings behind the four boundary conditions, and the rotations pooled for rotation invariance. */
class BoundaryAndRotationsTest {

    private static int[] around(Boundary b) {
        int[] out = new int[10];
        for (int i = -3; i < 7; i++) out[i + 3] = b.index(i, 4);
        return out;
    }

    @Test
    void eachBoundaryConditionMapsIndicesOutsideAFourVoxelLineAsIbsiDefinesIt() {
        assertArrayEquals(new int[] {-1, -1, -1, 0, 1, 2, 3, -1, -1, -1}, around(Boundary.ZERO));
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 2, 3, 3, 3, 3}, around(Boundary.NEAREST));
        assertArrayEquals(new int[] {1, 2, 3, 0, 1, 2, 3, 0, 1, 2}, around(Boundary.PERIODIC));
        assertArrayEquals(new int[] {2, 1, 0, 0, 1, 2, 3, 3, 2, 1}, around(Boundary.MIRROR));
    }

    @Test
    void thereAre24DistinctRotationsOfTheCubeAnd4OfTheSquareEachWithoutReflection() {
        for (int dims : new int[] {2, 3}) {
            List<Rotations.Rotation> all = Rotations.all(dims);
            assertEquals(dims == 3 ? 24 : 4, all.size());
            Set<String> distinct = new HashSet<>();
            for (Rotations.Rotation r : all) {
                distinct.add(java.util.Arrays.toString(r.axis()) + java.util.Arrays.toString(r.flip()));
                // the determinant of the signed permutation matrix is +1
                int inversions = 0;
                for (int i = 0; i < dims; i++) for (int j = i + 1; j < dims; j++) if (r.axis()[i] > r.axis()[j]) inversions++;
                int flips = 0;
                for (boolean f : r.flip()) if (f) flips++;
                assertEquals(0, (inversions + flips) % 2, "a reflection among the rotations");
            }
            assertEquals(all.size(), distinct.size());
        }
    }
}
