package org.cohortflow.biomarkers.morphology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Convex hull of mesh vertices, built incrementally with exact integer orientation tests on the
 * mesh's half-voxel grid coordinates (voxel meshes are full of coplanar points, which floating
 * point hulls handle poorly). Candidates are first reduced to the outlines of the axis-normal planes;
 * the incremental step keeps one conflict face per outside point (as quickhull does), so each insertion
 * only touches the faces it removes and the points that saw them. The hull of the scaled points is the scaled hull, so volume, area and
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
        List<int[]> faces = new Builder(candidates, init).run();
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

    /**
     * Randomised incremental hull with a single conflict face per outside point. When a point's conflict
     * face is removed it only needs testing against the new faces: a point strictly above a removed face
     * and outside the new hull cannot be inside the cone of the new faces (a segment from the apex to it
     * stays strictly above the removed face's plane, so it cannot leave the new hull through a surviving
     * face), hence it is strictly above a new face; above none, it is inside and dropped.
     */
    private static final class Builder {
        private final long[][] p;
        private int faceCount;
        private int[] va = new int[64], vb = new int[64], vc = new int[64];
        /** Neighbour across edge (a, b), (b, c) and (c, a). */
        private int[] n0 = new int[64], n1 = new int[64], n2 = new int[64];
        private long[] px = new long[64], py = new long[64], pz = new long[64], off = new long[64];
        private boolean[] alive = new boolean[64];
        /** Conflict lists as singly linked lists through the points. */
        private int[] head = new int[64];
        private final int[] next;
        private final int[] conflict;
        private final int[] byStart;
        private final int[] byEnd;
        private final int[] init;

        Builder(long[][] points, int[] init) {
            p = points;
            this.init = init;
            next = new int[points.length];
            conflict = new int[points.length];
            byStart = new int[points.length];
            byEnd = new int[points.length];
        }

        List<int[]> run() {
            int a = init[0], b = init[1], c = init[2], d = init[3];
            int[][] tetra = {{a, b, c, d}, {a, b, d, c}, {a, c, d, b}, {b, c, d, a}};
            int[] f = new int[4];
            for (int k = 0; k < 4; k++) {
                int[] t = tetra[k];
                f[k] = orient(p[t[0]], p[t[1]], p[t[2]], p[t[3]]) > 0 ? addFace(t[0], t[2], t[1]) : addFace(t[0], t[1], t[2]);
            }
            for (int k = 0; k < 4; k++) {
                link(f[k], f);
            }
            java.util.Arrays.fill(conflict, -1);
            for (int q = 0; q < p.length; q++) {
                if (q == a || q == b || q == c || q == d) continue;
                for (int k = 0; k < 4; k++) {
                    if (above(f[k], q)) {
                        assign(q, f[k]);
                        break;
                    }
                }
            }
            int[] visible = new int[64];
            int[] horizonFace = new int[64], horizonU = new int[64], horizonV = new int[64], horizonOut = new int[64];
            int[] created = new int[64];
            for (int q = 0; q < p.length; q++) {
                int f0 = conflict[q];
                if (f0 < 0) continue;
                // Visible region by flood fill from the conflict face; it is connected.
                int nv = 0, nh = 0;
                visible[nv++] = f0;
                alive[f0] = false;
                for (int i = 0; i < nv; i++) {
                    int vf = visible[i];
                    for (int e = 0; e < 3; e++) {
                        int nb = e == 0 ? n0[vf] : e == 1 ? n1[vf] : n2[vf];
                        if (!alive[nb]) {
                            continue;
                        }
                        if (above(nb, q)) {
                            alive[nb] = false;
                            if (nv == visible.length) visible = java.util.Arrays.copyOf(visible, 2 * nv);
                            visible[nv++] = nb;
                        } else {
                            if (nh == horizonU.length) {
                                horizonFace = java.util.Arrays.copyOf(horizonFace, 2 * nh);
                                horizonU = java.util.Arrays.copyOf(horizonU, 2 * nh);
                                horizonV = java.util.Arrays.copyOf(horizonV, 2 * nh);
                                horizonOut = java.util.Arrays.copyOf(horizonOut, 2 * nh);
                            }
                            horizonFace[nh] = vf;
                            horizonU[nh] = e == 0 ? va[vf] : e == 1 ? vb[vf] : vc[vf];
                            horizonV[nh] = e == 0 ? vb[vf] : e == 1 ? vc[vf] : va[vf];
                            horizonOut[nh] = nb;
                            nh++;
                        }
                    }
                }
                if (created.length < nh) created = new int[2 * nh];
                for (int h = 0; h < nh; h++) {
                    int nf = addFace(horizonU[h], horizonV[h], q);
                    created[h] = nf;
                    n0[nf] = horizonOut[h];
                    replaceNeighbour(horizonOut[h], horizonFace[h], nf);
                    byStart[horizonU[h]] = nf;
                    byEnd[horizonV[h]] = nf;
                }
                for (int h = 0; h < nh; h++) {
                    int nf = created[h];
                    n1[nf] = byStart[vb[nf]];
                    n2[nf] = byEnd[va[nf]];
                }
                conflict[q] = -1;
                for (int i = 0; i < nv; i++) {
                    for (int r = head[visible[i]]; r >= 0; ) {
                        int following = next[r];
                        conflict[r] = -1;
                        if (r != q) {
                            for (int h = 0; h < nh; h++) {
                                if (above(created[h], r)) {
                                    assign(r, created[h]);
                                    break;
                                }
                            }
                        }
                        r = following;
                    }
                    head[visible[i]] = -1;
                }
            }
            List<int[]> faces = new ArrayList<>();
            for (int k = 0; k < faceCount; k++) {
                if (alive[k]) faces.add(new int[] {va[k], vb[k], vc[k]});
            }
            return faces;
        }

        private void link(int face, int[] among) {
            for (int other : among) {
                if (other == face) continue;
                int[] mine = {va[face], vb[face], vc[face]};
                int[] theirs = {va[other], vb[other], vc[other]};
                for (int e = 0; e < 3; e++) {
                    for (int g = 0; g < 3; g++) {
                        if (mine[e] == theirs[(g + 1) % 3] && mine[(e + 1) % 3] == theirs[g]) {
                            if (e == 0) n0[face] = other;
                            else if (e == 1) n1[face] = other;
                            else n2[face] = other;
                        }
                    }
                }
            }
        }

        private void replaceNeighbour(int face, int old, int replacement) {
            if (n0[face] == old) n0[face] = replacement;
            else if (n1[face] == old) n1[face] = replacement;
            else if (n2[face] == old) n2[face] = replacement;
            else throw new IllegalStateException("hull adjacency broken");
        }

        private void assign(int q, int face) {
            conflict[q] = face;
            next[q] = head[face];
            head[face] = q;
        }

        private boolean above(int face, int q) {
            long[] r = p[q];
            return px[face] * r[0] + py[face] * r[1] + pz[face] * r[2] > off[face];
        }

        private int addFace(int a, int b, int c) {
            int k = faceCount++;
            if (k == va.length) {
                int m = 2 * k;
                va = java.util.Arrays.copyOf(va, m); vb = java.util.Arrays.copyOf(vb, m); vc = java.util.Arrays.copyOf(vc, m);
                n0 = java.util.Arrays.copyOf(n0, m); n1 = java.util.Arrays.copyOf(n1, m); n2 = java.util.Arrays.copyOf(n2, m);
                px = java.util.Arrays.copyOf(px, m); py = java.util.Arrays.copyOf(py, m); pz = java.util.Arrays.copyOf(pz, m);
                off = java.util.Arrays.copyOf(off, m);
                alive = java.util.Arrays.copyOf(alive, m);
                head = java.util.Arrays.copyOf(head, m);
            }
            va[k] = a;
            vb[k] = b;
            vc[k] = c;
            long[] pa = p[a], pb = p[b], pc = p[c];
            long ux = pb[0] - pa[0], uy = pb[1] - pa[1], uz = pb[2] - pa[2];
            long wx = pc[0] - pa[0], wy = pc[1] - pa[1], wz = pc[2] - pa[2];
            // Same sign convention as orient(a, b, c, q): positive when q is on the outer side.
            px[k] = uy * wz - uz * wy;
            py[k] = uz * wx - ux * wz;
            pz[k] = ux * wy - uy * wx;
            off[k] = px[k] * pa[0] + py[k] * pa[1] + pz[k] * pa[2];
            alive[k] = true;
            head[k] = -1;
            return k;
        }
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
