package org.cohortflow.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;

import org.junit.jupiter.api.Test;

class VolumeTest {

    private static final Geometry OBLIQUE = new Geometry(new int[] {4, 3, 2}, new double[] {10, -20, 30}, new double[] {0.5, 2, 3},
            new double[] {0.8, -0.6, 0, 0.6, 0.8, 0, 0, 0, 1});

    @Test
    void worldToIndexInvertsIndexToWorld() {
        double[] p = OBLIQUE.indexToWorld(1.25, 2, -0.5);
        assertArrayEquals(new double[] {1.25, 2, -0.5}, OBLIQUE.worldToIndex(p[0], p[1], p[2]), 1e-12);
        // voxel (1,0,0) is one x-spacing along the first direction column from the origin
        assertArrayEquals(new double[] {10 + 0.5 * 0.8, -20 + 0.5 * 0.6, 30}, OBLIQUE.indexToWorld(1, 0, 0), 1e-12);
    }

    @Test
    void geometryIsAValueWithDefensiveCopies() {
        double[] origin = {1, 2, 3};
        Geometry g = Geometry.of(2, 2, 2, origin, new double[] {1, 1, 1});
        origin[0] = 99;
        g.origin()[1] = 99;
        assertArrayEquals(new double[] {1, 2, 3}, g.origin());
        assertEquals(Geometry.of(2, 2, 2, new double[] {1, 2, 3}, new double[] {1, 1, 1}), g);
        assertNotEquals(Geometry.of(2, 2, 3, new double[] {1, 2, 3}, new double[] {1, 1, 1}), g);
        assertThrows(IllegalArgumentException.class, () -> Geometry.of(0, 1, 1, new double[3], new double[] {1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> Geometry.of(1, 1, 1, new double[3], new double[] {1, 0, 1}));
    }

    @Test
    void sameGridToleratesRoundingButNotAShift() {
        double[] o = OBLIQUE.origin();
        Geometry nudged = new Geometry(OBLIQUE.dims(), new double[] {o[0] + 1e-5, o[1], o[2]}, OBLIQUE.spacing(), OBLIQUE.direction());
        Geometry shifted = new Geometry(OBLIQUE.dims(), new double[] {o[0] + 0.01, o[1], o[2]}, OBLIQUE.spacing(), OBLIQUE.direction());
        assertTrue(OBLIQUE.sameGrid(nudged, 1e-3));
        assertFalse(OBLIQUE.sameGrid(shifted, 1e-3));
        assertTrue(OBLIQUE.mismatch(shifted, 1e-3).startsWith("origin"));
    }

    @Test
    void valuesAreAddressedXFastest() {
        float[] v = new float[OBLIQUE.voxelCount()];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Volume vol = Volume.ofFloats(OBLIQUE, v);
        assertEquals(1 + 4 * (2 + 3 * 1), vol.valueAt(1, 2, 1));
        assertEquals(vol.valueAt(OBLIQUE.index(3, 1, 0)), vol.valueAt(3, 1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> vol.valueAt(4, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Volume.ofFloats(OBLIQUE, new float[3]));
    }

    @Test
    void maskContainsCountsAndComparesOnItsGrid() {
        BitSet b = new BitSet();
        b.set(OBLIQUE.index(1, 1, 1));
        b.set(OBLIQUE.index(2, 1, 1));
        Mask m = new Mask(OBLIQUE, b);
        b.clear();
        assertEquals(2, m.count(), "the mask keeps its own copy");
        assertTrue(m.contains(1, 1, 1));
        assertFalse(m.contains(5, 1, 1));
        BitSet c = new BitSet();
        c.set(OBLIQUE.index(1, 1, 1));
        assertEquals(2.0 / 3.0, m.dice(new Mask(OBLIQUE, c)), 1e-12);
        Geometry other = Geometry.of(4, 3, 2, new double[3], new double[] {1, 1, 1});
        ImagingException e = assertThrows(ImagingException.class, () -> m.dice(new Mask(other, c)));
        assertTrue(e.getMessage().contains("mask geometry does not match"), e.getMessage());
    }

    @Test
    void a512By512By600CtTakesAtMostTwiceItsRawSize() {
        Geometry ct = Geometry.of(512, 512, 600, new double[3], new double[] {0.7, 0.7, 1});
        long raw = 2L * ct.voxelCount();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        Volume v = Volume.ofShorts(ct, new short[ct.voxelCount()]);
        Mask m = new Mask(ct, new BitSet(ct.voxelCount()));
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        assertEquals(raw, v.sizeInBytes());
        assertTrue(after - before <= 2 * raw, "heap grew by " + (after - before) + " bytes for " + raw + " raw bytes");
        // float storage, the worst case a reader chooses, is exactly twice the raw 16-bit size
        assertEquals(2 * raw, 4L * ct.voxelCount());
        assertEquals(0, m.count());
    }
}
