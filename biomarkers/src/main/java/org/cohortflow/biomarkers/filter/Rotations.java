package org.cohortflow.biomarkers.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * The right-angle rotations IBSI 2 pools over for rotation invariance: the 24 rotations of the cube (3D) or
 * the 4 of the square in the x-y plane (2D). Each is a signed permutation with determinant +1; rotating a
 * separable kernel {@code prod_a k_a(x_a)} by it moves kernel {@code a} to axis {@code axis[a]}, mirrored
 * when {@code flip[a]}.
 */
final class Rotations {
    private Rotations() {
    }

    /** One rotation: kernel {@code a} goes to axis {@code axis[a]}, mirrored when {@code flip[a]}. */
    record Rotation(int[] axis, boolean[] flip) {
    }

    /** All rotations of {@code dims} (2 or 3) axes, the identity first. */
    static List<Rotation> all(int dims) {
        List<Rotation> out = new ArrayList<>();
        for (int[] p : permutations(dims)) {
            int parity = parity(p);
            for (int signs = 0; signs < (1 << dims); signs++) {
                int negatives = Integer.bitCount(signs);
                if ((parity + negatives) % 2 != 0) continue; // determinant -1: a reflection
                boolean[] flip = new boolean[dims];
                for (int a = 0; a < dims; a++) flip[a] = (signs & (1 << a)) != 0;
                out.add(new Rotation(p, flip));
            }
        }
        return out;
    }

    private static List<int[]> permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] cur, boolean[] used, int k, List<int[]> out) {
        if (k == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = 0; i < cur.length; i++) {
            if (used[i]) continue;
            used[i] = true;
            cur[k] = i;
            permute(cur, used, k + 1, out);
            used[i] = false;
        }
    }

    private static int parity(int[] p) {
        int inversions = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = i + 1; j < p.length; j++) {
                if (p[i] > p[j]) inversions++;
            }
        }
        return inversions % 2;
    }
}
