package org.cohortflow.biomarkers.morphology;

import java.util.ArrayList;
import java.util.List;

/**
 * Marching cubes for binary masks, following IBSI's meshing convention: the mask is padded with
 * background, the isosurface is at 0.5 (so vertices sit on edge midpoints) and coordinates are in
 * mm via the voxel spacing.
 *
 * <p>Instead of a transcribed 256-case lookup table, each cube's polygons are derived from its face
 * crossings: on each face the inside region is bounded by segments between edge crossings (an
 * ambiguous face keeps its two inside corners apart), the segments chain into closed polygons and
 * these are fanned into triangles. Neighbouring cubes derive the same segments on the shared face,
 * so the mesh is watertight by construction.
 */
public final class MarchingCubes {
    /** Corner {@code c} is at {@code (c & 1, (c >> 1) & 1, (c >> 2) & 1)}. */
    private static final int[][] EDGES = buildEdges();
    private static final int[][] TRIANGLES = buildTable();

    private MarchingCubes() {
    }

    /**
     * Meshes a binary mask.
     *
     * @param mask    {@code nx * ny * nz} voxels, x fastest
     * @param dims    grid size
     * @param spacing voxel spacing in mm
     */
    public static Mesh mesh(boolean[] mask, int[] dims, double[] spacing) {
        int nx = dims[0], ny = dims[1], nz = dims[2];
        VertexIds ids = new VertexIds();
        int[] tri = new int[1024];
        int nt = 0;
        // Padded with one background voxel on each side so that cube corners need no bounds checks.
        int qx = nx + 2, qy = ny + 2, qz = nz + 2;
        boolean[] padded = new boolean[qx * qy * qz];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                System.arraycopy(mask, nx * (y + ny * z), padded, 1 + qx * (y + 1 + qy * (z + 1)), nx);
            }
        }
        int[] cornerOffset = new int[8];
        for (int c = 0; c < 8; c++) cornerOffset[c] = (c & 1) + qx * (((c >> 1) & 1) + qy * ((c >> 2) & 1));
        for (int z = -1; z < nz; z++) {
            for (int y = -1; y < ny; y++) {
                int base = qx * (y + 1 + qy * (z + 1));
                for (int x = -1; x < nx; x++) {
                    int o = base + x + 1;
                    int config = 0;
                    for (int c = 0; c < 8; c++) {
                        if (padded[o + cornerOffset[c]]) config |= 1 << c;
                    }
                    int[] t = TRIANGLES[config];
                    if (t.length == 0) continue;
                    if (nt + t.length > tri.length) tri = java.util.Arrays.copyOf(tri, 2 * tri.length + t.length);
                    for (int k = 0; k < t.length; k++) {
                        int[] e = EDGES[t[k]];
                        // Doubled coordinates keep edge midpoints integral.
                        long gx = 2L * x + (e[0] & 1) + (e[1] & 1);
                        long gy = 2L * y + ((e[0] >> 1) & 1) + ((e[1] >> 1) & 1);
                        long gz = 2L * z + ((e[0] >> 2) & 1) + ((e[1] >> 2) & 1);
                        tri[nt++] = ids.id(gx, gy, gz);
                    }
                }
            }
        }
        int nv = ids.size();
        long[] g = java.util.Arrays.copyOf(ids.coordinates, 3 * nv);
        double[] v = new double[3 * nv];
        for (int i = 0; i < 3 * nv; i++) v[i] = g[i] * 0.5 * spacing[i % 3];
        return new Mesh(v, g, java.util.Arrays.copyOf(tri, nt));
    }

    /**
     * Vertex numbering in order of first use, by an open-addressing table on the packed doubled coordinates
     * (a boxed map costs more than the rest of the meshing).
     */
    private static final class VertexIds {
        private long[] keys = new long[1 << 12];
        private int[] values = new int[1 << 12];
        private long[] coordinates = new long[3 * 1024];
        private int size;
        /** Fibonacci hashing: the slot is the top bits of the key times the golden ratio. */
        private int shift = 64 - 12;

        VertexIds() {
            java.util.Arrays.fill(keys, -1L);
        }

        int size() {
            return size;
        }

        int id(long gx, long gy, long gz) {
            long key = ((gx + 4) << 42) | ((gy + 4) << 21) | (gz + 4);
            int mask = keys.length - 1;
            int slot = slot(key);
            while (keys[slot] != -1L) {
                if (keys[slot] == key) return values[slot];
                slot = (slot + 1) & mask;
            }
            int id = size++;
            keys[slot] = key;
            values[slot] = id;
            if (3 * size > coordinates.length) coordinates = java.util.Arrays.copyOf(coordinates, 2 * coordinates.length);
            coordinates[3 * id] = gx;
            coordinates[3 * id + 1] = gy;
            coordinates[3 * id + 2] = gz;
            if (2 * size > keys.length) grow();
            return id;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[2 * oldKeys.length];
            values = new int[keys.length];
            java.util.Arrays.fill(keys, -1L);
            shift--;
            int mask = keys.length - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] == -1L) continue;
                int slot = slot(oldKeys[i]);
                while (keys[slot] != -1L) slot = (slot + 1) & mask;
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }

        private int slot(long key) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
        }
    }

    private static int[][] buildEdges() {
        List<int[]> edges = new ArrayList<>();
        for (int a = 0; a < 8; a++) {
            for (int b = a + 1; b < 8; b++) {
                if (Integer.bitCount(a ^ b) == 1) edges.add(new int[] {a, b});
            }
        }
        return edges.toArray(new int[0][]);
    }

    private static int edgeOf(int a, int b) {
        for (int k = 0; k < EDGES.length; k++) {
            if ((EDGES[k][0] == a && EDGES[k][1] == b) || (EDGES[k][0] == b && EDGES[k][1] == a)) return k;
        }
        throw new IllegalStateException("no edge " + a + "-" + b);
    }

    /** Corners of each face, counter-clockwise seen from outside the cube. */
    private static int[][] faces() {
        List<int[]> faces = new ArrayList<>();
        for (int axis = 0; axis < 3; axis++) {
            int b = (axis + 1) % 3, c = (axis + 2) % 3;
            for (int side = 0; side < 2; side++) {
                int[][] bc = side == 1
                        ? new int[][] {{0, 0}, {1, 0}, {1, 1}, {0, 1}}
                        : new int[][] {{0, 0}, {0, 1}, {1, 1}, {1, 0}};
                int[] corners = new int[4];
                for (int k = 0; k < 4; k++) {
                    corners[k] = (side << axis) | (bc[k][0] << b) | (bc[k][1] << c);
                }
                faces.add(corners);
            }
        }
        return faces.toArray(new int[0][]);
    }

    /**
     * Picks the fan apex of a polygon. Polygons with five or more vertices are not planar, and the
     * triangulation changes volume and area. The apex chosen gives the largest volume to the side of the
     * cube with fewer mask corners (the inside when at most four corners are inside, else the outside), so
     * a mask and its complement get the same surface, as with the classic marching cubes table IBSI's
     * reference implementations use. Favouring the inside everywhere (as before) reproduced the digital
     * phantom but made CT ROIs' mesh volume larger than their voxel volume and put sphericity,
     * compactness and asphericity of IBSI configurations A-E outside their tolerances.
     *
     * @param insideCorners the cube's corners inside the mask
     */
    private static int fanStart(List<Integer> poly, int insideCorners) {
        int sign = insideCorners <= 4 ? 1 : -1;
        int m = poly.size();
        int best = 0;
        double bestVolume = Double.NEGATIVE_INFINITY;
        for (int start = 0; start < m; start++) {
            double v = 0;
            for (int k = 1; k + 1 < m; k++) {
                double[] a = midpoint(poly.get(start));
                double[] b = midpoint(poly.get((start + k) % m));
                double[] c = midpoint(poly.get((start + k + 1) % m));
                v += a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0])
                        + a[2] * (b[0] * c[1] - b[1] * c[0]);
            }
            if (sign * v > bestVolume + 1e-12) {
                bestVolume = sign * v;
                best = start;
            }
        }
        return best;
    }

    /** Edge midpoint relative to the cube centre. */
    private static double[] midpoint(int edge) {
        int[] e = EDGES[edge];
        double[] p = new double[3];
        for (int a = 0; a < 3; a++) {
            p[a] = (((e[0] >> a) & 1) + ((e[1] >> a) & 1)) / 2.0 - 0.5;
        }
        return p;
    }

    private static int[][] buildTable() {
        int[][] faces = faces();
        int[][] table = new int[256][];
        for (int config = 0; config < 256; config++) {
            int[] next = new int[12];
            java.util.Arrays.fill(next, -1);
            for (int[] f : faces) {
                int[] crossing = new int[4];
                boolean[] exit = new boolean[4];
                int n = 0;
                for (int k = 0; k < 4; k++) {
                    int p = f[k], q = f[(k + 1) % 4];
                    boolean pin = (config >> p & 1) == 1, qin = (config >> q & 1) == 1;
                    if (pin != qin) {
                        crossing[n] = edgeOf(p, q);
                        exit[n] = pin;
                        n++;
                    }
                }
                // Each exit joins the entry just before it: inside corners stay separate on ambiguous faces.
                for (int k = 0; k < n; k++) {
                    if (exit[k]) next[crossing[k]] = crossing[(k + n - 1) % n];
                }
            }
            List<Integer> tris = new ArrayList<>();
            boolean[] used = new boolean[12];
            for (int e = 0; e < 12; e++) {
                if (next[e] < 0 || used[e]) continue;
                List<Integer> poly = new ArrayList<>();
                int cur = e;
                while (!used[cur]) {
                    used[cur] = true;
                    poly.add(cur);
                    cur = next[cur];
                }
                // Chained segments wind with the inside on the right-hand normal; reverse for outward.
                java.util.Collections.reverse(poly);
                int m = poly.size();
                int start = fanStart(poly, Integer.bitCount(config));
                for (int k = 1; k + 1 < m; k++) {
                    tris.add(poly.get(start));
                    tris.add(poly.get((start + k) % m));
                    tris.add(poly.get((start + k + 1) % m));
                }
            }
            table[config] = tris.stream().mapToInt(Integer::intValue).toArray();
        }
        return table;
    }
}
