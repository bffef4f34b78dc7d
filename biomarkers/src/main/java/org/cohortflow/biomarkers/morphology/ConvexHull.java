package org.cohortflow.biomarkers.morphology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Convex hull of mesh vertices, built incrementally with exact integer orientation tests on the
 * mesh's half-voxel grid coordinates (voxel meshes are full of coplanar points, which floating
 * point hulls handle poorly). The hull of the scaled points is the scaled hull, so volume, area and
 * diameter are evaluated in mm afterwards.
 *
 * @param points    hull vertex positions in mm, {@code x, y, z} per vertex
 * @param triangles outward-oriented faces over {@code points}
 */
public record ConvexHull(double[] points, int[] triangles) {

    /**
     * @return the hull, or {@code null} when all vertices are coplanar (a flat ROI has no volume)
     */
    public static ConvexHull of(Mesh mesh, double[] spacing) {
        long[][] candidates = planeOutlineVertices(mesh.gridUnits());
        int n = candidates.length;
        // A fixed seed keeps results reproducible while avoiding adversarial insertion orders.
        Random random = new Random(42);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long[] t = candidates[i];
            candidates[i] = candidates[j];
            candidates[j] = t;
        }
        int[] init = initialTetrahedron(candidates);
        if (init == null) {
            return null;
        }
        List<int[]> faces = new ArrayList<>();
        int a = init[0], b = init[1], c = init[2], d = init[3];
        int[][] tetra = {{a, b, c, d}, {a, b, d, c}, {a, c, d, b}, {b, c, d, a}};
        for (int[] f : tetra) {
            if (orient(candidates[f[0]], candidates[f[1]], candidates[f[2]], candidates[f[3]]) > 0) {
                faces.add(new int[] {f[0], f[2], f[1]});
            } else {
                faces.add(new int[] {f[0], f[1], f[2]});
            }
        }
        Set<Integer> initial = Set.of(a, b, c, d);
        for (int p = 0; p < n; p++) {
            if (initial.contains(p)) continue;
            long[] pt = candidates[p];
            List<int[]> visible = new ArrayList<>();
            List<int[]> kept = new ArrayList<>(faces.size());
            for (int[] f : faces) {
                if (orient(candidates[f[0]], candidates[f[1]], candidates[f[2]], pt) > 0) visible.add(f);
                else kept.add(f);
            }
            if (visible.isEmpty()) continue;
            Set<Long> edges = new HashSet<>();
            for (int[] f : visible) {
                for (int k = 0; k < 3; k++) edges.add(edgeKey(f[k], f[(k + 1) % 3], n));
            }
            for (int[] f : visible) {
                for (int k = 0; k < 3; k++) {
                    int u = f[k], v = f[(k + 1) % 3];
                    if (!edges.contains(edgeKey(v, u, n))) kept.add(new int[] {u, v, p});
                }
            }
            faces = kept;
        }
        Map<Integer, Integer> used = new HashMap<>();
        List<Integer> order = new ArrayList<>();
        int[] tri = new int[faces.size() * 3];
        int k = 0;
        for (int[] f : faces) {
            for (int v : f) {
                Integer id = used.get(v);
                if (id == null) {
                    id = order.size();
                    used.put(v, id);
                    order.add(v);
                }
                tri[k++] = id;
            }
        }
        double[] pts = new double[order.size() * 3];
        for (int i = 0; i < order.size(); i++) {
            long[] q = candidates[order.get(i)];
            for (int ax = 0; ax < 3; ax++) pts[3 * i + ax] = q[ax] * 0.5 * spacing[ax];
        }
        return new ConvexHull(pts, tri);
    }

    /** @return the hull volume in mm³ */
    public double volume() {
        return new Mesh(points, new long[0], triangles).volume();
    }

    /** @return the hull surface area in mm² */
    public double area() {
        return new Mesh(points, new long[0], triangles).area();
    }

    /** @return the largest distance between two hull vertices in mm, which is the set's diameter */
    public double diameter() {
        double best = 0;
        int n = points.length / 3;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dx = points[3 * i] - points[3 * j];
                double dy = points[3 * i + 1] - points[3 * j + 1];
                double dz = points[3 * i + 2] - points[3 * j + 2];
                best = Math.max(best, dx * dx + dy * dy + dz * dz);
            }
        }
        return Math.sqrt(best);
    }

    private static long edgeKey(int u, int v, int n) {
        return (long) u * n + v;
    }

    static long orient(long[] a, long[] b, long[] c, long[] p) {
        long ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
        long vx = c[0] - a[0], vy = c[1] - a[1], vz = c[2] - a[2];
        long wx = p[0] - a[0], wy = p[1] - a[1], wz = p[2] - a[2];
        return (uy * vz - uz * vy) * wx + (uz * vx - ux * vz) * wy + (ux * vy - uy * vx) * wz;
    }

    /** Bits per packed coordinate; half-voxel coordinates of any realistic grid are far below 2^20. */
    private static final int BITS = 21;
    private static final long FIELD = (1L << BITS) - 1;
    /** Shifts coordinates (from -1 half-voxel up) to non-negative values for packing. */
    private static final long OFFSET = 4;

    /**
     * Keeps only points that are vertices of the 2-D convex hull of their own axis-normal plane, for each
     * of the three axes in turn. A point that is not such a vertex is a convex combination of other points
     * of the set, so dropping it leaves the 3-D hull unchanged; a voxel surface has many points per plane
     * and only its outline survives, which leaves the 3-D hull a few thousand candidates instead of every
     * mesh vertex. Coordinates are packed into one {@code long} (plane, u, v) so that the planes come out
     * of one primitive sort already grouped and ordered for the monotone chain.
     */
    private static long[][] planeOutlineVertices(long[] g) {
        int n = g.length / 3;
        for (int i = 0; i < g.length; i++) {
            if (g[i] + OFFSET < 0 || g[i] + OFFSET > FIELD) throw new IllegalArgumentException("grid too large for the hull");
        }
        // Packed as (plane, u, v) with the plane axis first; each round re-packs the survivors for the next axis.
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = pack(g[3 * i + 2], g[3 * i], g[3 * i + 1]);
        int m = n;
        for (int axis = 2; axis >= 0; axis--) {
            java.util.Arrays.sort(keys, 0, m);
            m = outline(keys, m);
            if (axis == 0) break;
            int next = axis - 1;
            for (int i = 0; i < m; i++) {
                long[] xyz = unpack(keys[i], axis);
                int a1 = (next + 1) % 3, a2 = (next + 2) % 3;
                keys[i] = pack(xyz[next], xyz[a1], xyz[a2]);
            }
        }
        long[][] out = new long[m][];
        for (int i = 0; i < m; i++) out[i] = unpack(keys[i], 0);
        return out;
    }

    private static long pack(long plane, long u, long v) {
        return (plane + OFFSET) << (2 * BITS) | (u + OFFSET) << BITS | (v + OFFSET);
    }

    /** Inverts {@link #pack} for a key whose plane axis is {@code axis} and (u, v) the following axes. */
    private static long[] unpack(long key, int axis) {
        long[] xyz = new long[3];
        xyz[axis] = (key >>> (2 * BITS)) - OFFSET;
        xyz[(axis + 1) % 3] = ((key >>> BITS) & FIELD) - OFFSET;
        xyz[(axis + 2) % 3] = (key & FIELD) - OFFSET;
        return xyz;
    }

    /**
     * Compacts sorted {@code keys[0, m)} to the strict 2-D hull vertices of each plane (Andrew's monotone chain;
     * collinear points are dropped, a plane with one or two distinct points keeps them).
     * @return the number kept
     */
    private static int outline(long[] keys, int m) {
        int kept = 0;
        long[] chain = new long[m + 1];
        for (int start = 0; start < m; ) {
            long plane = keys[start] >>> (2 * BITS);
            int end = start;
            while (end < m && keys[end] >>> (2 * BITS) == plane) end++;
            if (end - start <= 2) {
                for (int i = start; i < end; i++) keys[kept++] = keys[i];
                start = end;
                continue;
            }
            int h = 0;
            for (int i = start; i < end; i++) {
                while (h >= 2 && cross(chain[h - 2], chain[h - 1], keys[i]) <= 0) h--;
                chain[h++] = keys[i];
            }
            int lower = h + 1;
            for (int i = end - 2; i >= start; i--) {
                while (h >= lower && cross(chain[h - 2], chain[h - 1], keys[i]) <= 0) h--;
                chain[h++] = keys[i];
            }
            // The chain ends where it began; the writes below never overtake the reads of this plane.
            for (int i = 0; i < h - 1; i++) keys[kept++] = chain[i];
            start = end;
        }
        return kept;
    }

    /** Twice the signed area of (a, b, c) in the (u, v) plane of packed keys. */
    private static long cross(long a, long b, long c) {
        long au = (a >>> BITS) & FIELD, av = a & FIELD;
        long bu = (b >>> BITS) & FIELD, bv = b & FIELD;
        long cu = (c >>> BITS) & FIELD, cv = c & FIELD;
        return (bu - au) * (cv - av) - (bv - av) * (cu - au);
    }

    private static int[] initialTetrahedron(long[][] p) {
        int n = p.length;
        if (n < 4) return null;
        int a = 0, b = -1, c = -1, d = -1;
        for (int i = 1; i < n && b < 0; i++) {
            if (p[i][0] != p[a][0] || p[i][1] != p[a][1] || p[i][2] != p[a][2]) b = i;
        }
        if (b < 0) return null;
        for (int i = 0; i < n && c < 0; i++) {
            long ux = p[b][0] - p[a][0], uy = p[b][1] - p[a][1], uz = p[b][2] - p[a][2];
            long vx = p[i][0] - p[a][0], vy = p[i][1] - p[a][1], vz = p[i][2] - p[a][2];
            if (uy * vz - uz * vy != 0 || uz * vx - ux * vz != 0 || ux * vy - uy * vx != 0) c = i;
        }
        if (c < 0) return null;
        for (int i = 0; i < n && d < 0; i++) {
            if (orient(p[a], p[b], p[c], p[i]) != 0) d = i;
        }
        if (d < 0) return null;
        return new int[] {a, b, c, d};
    }
}
