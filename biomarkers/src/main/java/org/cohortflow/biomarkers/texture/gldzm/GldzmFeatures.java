package org.cohortflow.biomarkers.texture.gldzm;

import java.util.ArrayList;
import java.util.List;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.texture.Direction;
import org.cohortflow.biomarkers.texture.EmphasisFeatureSet;
import org.cohortflow.biomarkers.texture.Neighbourhood;
import org.cohortflow.biomarkers.texture.TextureAggregator;
import org.cohortflow.biomarkers.texture.TextureMatrix;
import org.cohortflow.biomarkers.texture.Zones;

/**
 * Grey level distance zone matrix features (IBSI 3.9): 2D averaged, 2.5D merged and 3D. The
 * distance of a voxel to the ROI edge is the taxicab distance (4-connected in-plane for 2D,
 * 6-connected for 3D), 1 for voxels on the edge; a zone's distance is its smallest voxel distance.
 */
public final class GldzmFeatures {
    private static final EmphasisFeatureSet FEATURES = new EmphasisFeatureSet(EmphasisFeatureSet.definitions(
            "Small distance emphasis", "0GBI",
            "Large distance emphasis", "MB4I",
            "Low grey level zone emphasis", "S1RA",
            "High grey level zone emphasis", "K26C",
            "Small distance low grey level emphasis", "RUVG",
            "Small distance high grey level emphasis", "DKNJ",
            "Large distance low grey level emphasis", "A7WM",
            "Large distance high grey level emphasis", "KLTH",
            "Grey level non-uniformity", "VFT7",
            "Normalised grey level non-uniformity", "7HP3",
            "Zone distance non-uniformity", "V294",
            "Normalised zone distance non-uniformity", "IATH",
            "Zone percentage", "VIWW",
            "Grey level variance", "QK93",
            "Zone distance variance", "7WT1",
            "Zone distance entropy", "GBDU"));

    private GldzmFeatures() {
    }

    /** @return the features of this family, in output order */
    public static List<org.cohortflow.biomarkers.feature.FeatureDefinition> featureDefinitions() {
        return FEATURES.definitions();
    }

    /**
     * Computes GLDZM features for all aggregations.
     *
     * @param image       discretised image (zones come from its intensity-mask grey levels)
     * @param distanceRoi mask the edge distance is measured in, on the same grid; IBSI uses the
     *                    morphological mask so that re-segmentation holes do not count as edges
     */
    public static FeatureList compute(DiscretisedImage image, boolean[] distanceRoi) {
        List<TextureMatrix> bySlice = new ArrayList<>();
        int[] map2d = distanceMap(image, distanceRoi, false);
        for (int z = 0; z < image.nz(); z++) {
            if (image.sliceHasRoi(z)) bySlice.add(matrix(image, z, z, false, map2d));
        }
        int[] map3d = distanceMap(image, distanceRoi, true);
        return new TextureAggregator(FeatureFamily.GLDZM, FEATURES)
                .directionFree(bySlice, matrix(image, 0, image.nz() - 1, true, map3d));
    }

    /** Breadth-first taxicab distance to the nearest voxel outside {@code roi} (grid edge counts as outside). */
    static int[] distanceMap(DiscretisedImage img, boolean[] roi, boolean volumetric) {
        int nx = img.nx(), ny = img.ny(), nz = img.nz();
        int n = img.voxelCount();
        int[] dist = new int[n];
        int[] queue = new int[n];
        int head = 0, tail = 0;
        List<Direction> faces = Neighbourhood.faces(volumetric);
        for (int v = 0; v < n; v++) {
            if (!roi[v]) continue;
            int x = v % nx, y = (v / nx) % ny, z = v / (nx * ny);
            for (Direction d : faces) {
                int qx = x + d.dx(), qy = y + d.dy(), qz = z + d.dz();
                boolean outside = qx < 0 || qy < 0 || qz < 0 || qx >= nx || qy >= ny || qz >= nz
                        || !roi[img.index(qx, qy, qz)];
                if (outside) {
                    dist[v] = 1;
                    queue[tail++] = v;
                    break;
                }
            }
        }
        while (head < tail) {
            int v = queue[head++];
            int x = v % nx, y = (v / nx) % ny, z = v / (nx * ny);
            for (Direction d : faces) {
                int qx = x + d.dx(), qy = y + d.dy(), qz = z + d.dz();
                if (qx < 0 || qy < 0 || qz < 0 || qx >= nx || qy >= ny || qz >= nz) continue;
                int q = img.index(qx, qy, qz);
                if (roi[q] && dist[q] == 0) {
                    dist[q] = dist[v] + 1;
                    queue[tail++] = q;
                }
            }
        }
        return dist;
    }

    static TextureMatrix matrix(DiscretisedImage img, int zFrom, int zTo, boolean volumetric, int[] map) {
        List<int[]> zones = new ArrayList<>();
        int[] voxels = {0};
        Zones.forEach(img, zFrom, zTo, volumetric, map, (g, size, d) -> {
            zones.add(new int[] {g, Math.max(1, d)});
            voxels[0] += size;
        });
        int maxD = 1;
        for (int[] z : zones) maxD = Math.max(maxD, z[1]);
        int ng = img.ng();
        double[] c = new double[ng * maxD];
        for (int[] z : zones) c[(z[0] - 1) * maxD + (z[1] - 1)]++;
        return new TextureMatrix(ng, maxD, c, voxels[0]);
    }
}
