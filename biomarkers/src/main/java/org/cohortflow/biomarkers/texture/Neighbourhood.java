package org.cohortflow.biomarkers.texture;

import java.util.ArrayList;
import java.util.List;

/** Neighbour offsets for connectivity and neighbourhood-based families. */
public final class Neighbourhood {
    private Neighbourhood() {
    }

    /**
     * All offsets within Chebyshev distance {@code distance}, centre excluded: in-plane only for
     * 2D (8 at distance 1), in the volume for 3D (26 at distance 1).
     */
    public static List<Direction> chebyshev(int distance, boolean volumetric) {
        List<Direction> out = new ArrayList<>();
        int zr = volumetric ? distance : 0;
        for (int dz = -zr; dz <= zr; dz++) {
            for (int dy = -distance; dy <= distance; dy++) {
                for (int dx = -distance; dx <= distance; dx++) {
                    if (dx != 0 || dy != 0 || dz != 0) {
                        out.add(new Direction(dx, dy, dz));
                    }
                }
            }
        }
        return out;
    }

    /** Face neighbours: 4 in-plane for 2D, 6 for 3D. */
    public static List<Direction> faces(boolean volumetric) {
        List<Direction> out = new ArrayList<>(List.of(new Direction(1, 0, 0), new Direction(-1, 0, 0),
                new Direction(0, 1, 0), new Direction(0, -1, 0)));
        if (volumetric) {
            out.add(new Direction(0, 0, 1));
            out.add(new Direction(0, 0, -1));
        }
        return out;
    }
}
