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
        long[][] candidates = columnExtremes(mesh.gridUnits());
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

    /**
     * Keeps points that are extreme along all three axis-parallel lines through them: a point
     * strictly between two others on such a line lies on their segment and cannot be a hull vertex.
     */
    private static long[][] columnExtremes(long[] g) {
        int n = g.length / 3;
        boolean[] keep = new boolean[n];
        java.util.Arrays.fill(keep, true);
        for (int axis = 0; axis < 3; axis++) {
            int a1 = (axis + 1) % 3, a2 = (axis + 2) % 3;
            Map<Long, long[]> range = new HashMap<>();
            for (int i = 0; i < n; i++) {
                long key = (g[3 * i + a1] + (1L << 20)) << 22 | (g[3 * i + a2] + (1L << 20));
                long v = g[3 * i + axis];
                long[] r = range.computeIfAbsent(key, x -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
                r[0] = Math.min(r[0], v);
                r[1] = Math.max(r[1], v);
            }
            for (int i = 0; i < n; i++) {
                long key = (g[3 * i + a1] + (1L << 20)) << 22 | (g[3 * i + a2] + (1L << 20));
                long v = g[3 * i + axis];
                long[] r = range.get(key);
                if (v != r[0] && v != r[1]) keep[i] = false;
            }
        }
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (keep[i]) out.add(new long[] {g[3 * i], g[3 * i + 1], g[3 * i + 2]});
        }
        return out.toArray(new long[0][]);
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
