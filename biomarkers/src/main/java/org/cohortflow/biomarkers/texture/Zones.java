package org.cohortflow.biomarkers.texture;

import java.util.List;
import org.cohortflow.biomarkers.image.DiscretisedImage;

/**
 * Connected zones of equal grey level (8-connected in-plane for 2D, 26-connected for 3D), the basis
 * of GLSZM and GLDZM.
 */
public final class Zones {
    private Zones() {
    }

    /** Receives one zone. */
    @FunctionalInterface
    public interface ZoneConsumer {
        /**
         * @param level       the zone's grey level
         * @param size        number of voxels
         * @param minDistance smallest distance-map value over the zone's voxels (0 without a map)
         */
        void accept(int level, int size, int minDistance);
    }

    /**
     * Visits every zone within slices {@code zFrom..zTo}.
     *
     * @param distanceMap per-voxel distance to the ROI edge, or {@code null}
     */
    public static void forEach(DiscretisedImage img, int zFrom, int zTo, boolean volumetric,
                               int[] distanceMap, ZoneConsumer consumer) {
        List<Direction> offsets = Neighbourhood.chebyshev(1, volumetric);
        int nx = img.nx(), ny = img.ny();
        boolean[] visited = new boolean[img.voxelCount()];
        int[] stack = new int[img.voxelCount()];
        for (int z = zFrom; z <= zTo; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int start = img.index(x, y, z);
                    int g = img.level(start);
                    if (g == 0 || visited[start]) continue;
                    int top = 0;
                    stack[top++] = start;
                    visited[start] = true;
                    int size = 0;
                    int minDist = Integer.MAX_VALUE;
                    while (top > 0) {
                        int v = stack[--top];
                        size++;
                        if (distanceMap != null) minDist = Math.min(minDist, distanceMap[v]);
                        int vx = v % nx, vy = (v / nx) % ny, vz = v / (nx * ny);
                        for (Direction d : offsets) {
                            int qx = vx + d.dx(), qy = vy + d.dy(), qz = vz + d.dz();
                            if (qz < zFrom || qz > zTo || img.levelAt(qx, qy, qz) != g) continue;
                            int q = img.index(qx, qy, qz);
                            if (!visited[q]) {
                                visited[q] = true;
                                stack[top++] = q;
                            }
                        }
                    }
                    consumer.accept(g, size, distanceMap == null ? 0 : minDist);
                }
            }
        }
    }
}
