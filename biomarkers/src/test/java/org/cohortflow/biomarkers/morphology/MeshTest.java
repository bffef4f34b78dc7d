package org.cohortflow.biomarkers.morphology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeshTest {

    @Test
    void singleVoxelIsAnOctahedron() {
        Mesh m = MarchingCubes.mesh(new boolean[] {true}, new int[] {1, 1, 1}, new double[] {2, 2, 2});
        assertEquals(6, m.vertexCount());
        assertEquals(8, m.triangleCount());
        // Vertices at +-1 mm along each axis: volume 4/3, area 8 * (sqrt(3)/4) * 2.
        assertEquals(4.0 / 3.0, m.volume(), 1e-12);
        assertEquals(4 * Math.sqrt(3), m.area(), 1e-12);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomMasksGiveClosedConsistentlyOrientedMeshesAndConvexHulls(long seed) {
        Random r = new Random(seed);
        int[] dims = {7, 6, 5};
        boolean[] mask = new boolean[7 * 6 * 5];
        for (int i = 0; i < mask.length; i++) mask[i] = r.nextDouble() < 0.5;
        double[] spacing = {1.0, 0.8, 2.5};
        Mesh m = MarchingCubes.mesh(mask, dims, spacing);

        // Closed oriented surface: every directed edge is matched by as many reverse edges. (A fan
        // diagonal can lie in a cube face and then appear in both neighbouring cubes.)
        Map<Long, Integer> directed = new HashMap<>();
        int[] t = m.triangles();
        for (int k = 0; k < t.length; k += 3) {
            for (int e = 0; e < 3; e++) {
                long key = (long) t[k + e] * 1_000_000 + t[k + (e + 1) % 3];
                directed.merge(key, 1, Integer::sum);
            }
        }
        for (var e : directed.entrySet()) {
            long reverse = (e.getKey() % 1_000_000) * 1_000_000 + e.getKey() / 1_000_000;
            assertEquals(e.getValue(), directed.getOrDefault(reverse, 0), "open or inconsistently oriented edge");
        }
        int count = 0;
        for (boolean b : mask) if (b) count++;
        double voxelVolume = spacing[0] * spacing[1] * spacing[2];
        assertTrue(m.volume() > 0 && m.volume() < count * voxelVolume,
                "mesh volume " + m.volume() + " must be positive and below the voxel volume");

        ConvexHull hull = ConvexHull.of(m, spacing);
        assertNotNull(hull);
        assertTrue(hull.volume() >= m.volume() - 1e-9);
        // Every mesh vertex lies inside or on every hull face plane.
        double[] hp = hull.points();
        int[] ht = hull.triangles();
        double[] v = m.vertices();
        for (int k = 0; k < ht.length; k += 3) {
            int a = 3 * ht[k], b = 3 * ht[k + 1], c = 3 * ht[k + 2];
            double ux = hp[b] - hp[a], uy = hp[b + 1] - hp[a + 1], uz = hp[b + 2] - hp[a + 2];
            double wx = hp[c] - hp[a], wy = hp[c + 1] - hp[a + 1], wz = hp[c + 2] - hp[a + 2];
            double nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
            for (int i = 0; i < v.length; i += 3) {
                double d = nx * (v[i] - hp[a]) + ny * (v[i + 1] - hp[a + 1]) + nz * (v[i + 2] - hp[a + 2]);
                assertTrue(d <= 1e-9, "vertex outside hull face");
            }
        }
        double diameter = hull.diameter();
        for (int i = 0; i < v.length; i += 3) {
            for (int j = i + 3; j < v.length; j += 3) {
                double dx = v[i] - v[j], dy = v[i + 1] - v[j + 1], dz = v[i + 2] - v[j + 2];
                assertTrue(Math.sqrt(dx * dx + dy * dy + dz * dz) <= diameter + 1e-9);
            }
        }
    }

    @Test
    void ellipsoidAreaSeriesIsExactForTheSphere() {
        // For elongated ellipsoids IBSI's 20-term Legendre series is IBSI's definition, checked
        // against the digital phantom's consensus value in DigitalPhantomReferenceTest.
        assertEquals(4 * Math.PI * 9, MorphologyFeatures.ellipsoidArea(3, 3, 3), 1e-9);
    }
}
