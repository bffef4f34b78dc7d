package org.cohortflow.biomarkers.intensity;

import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.FeatureDefinition;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.RoiImage;

/**
 * Local intensity features (IBSI 3.2): the mean intensity in a 1 cm³ sphere (all grid voxels whose
 * centre lies within the sphere, inside the ROI or not) around ROI voxels. The local peak is the
 * largest sphere mean around the ROI's maximum-intensity voxels; the global peak the largest over
 * all ROI voxels. The grid must extend {@link #sphereRadiusMm()} beyond the ROI where the image
 * does, or the means near the edge are biased.
 */
public final class LocalIntensity {
    private static final FeatureDefinition LOCAL = new FeatureDefinition("Local intensity peak", "VJGA");
    private static final FeatureDefinition GLOBAL = new FeatureDefinition("Global intensity peak", "0F91");

    private LocalIntensity() {
    }

    /** @return the features of this family, in output order */
    public static java.util.List<FeatureDefinition> featureDefinitions() {
        return java.util.List.of(LOCAL, GLOBAL);
    }

    /** @return the radius of a sphere of 1 cm³ in mm */
    public static double sphereRadiusMm() {
        return Math.cbrt(3.0 * 1000.0 / (4.0 * Math.PI));
    }

    /** Computes the local and global intensity peaks. */
    public static FeatureList compute(RoiImage image) {
        FeatureList out = new FeatureList(FeatureFamily.LOCAL_INTENSITY);
        if (image.intensityMaskCount() == 0) {
            out.undefined(LOCAL, Aggregation.FEATURE_3D, "empty intensity mask");
            out.undefined(GLOBAL, Aggregation.FEATURE_3D, "empty intensity mask");
            return out;
        }
        double r = sphereRadiusMm();
        int[] reach = new int[3];
        for (int a = 0; a < 3; a++) reach[a] = (int) Math.floor(r / image.spacing(a));
        // Precompute the sphere's offsets once: the stencil is the same for every centre voxel.
        int count = 0;
        int[][] stencil = new int[(2 * reach[0] + 1) * (2 * reach[1] + 1) * (2 * reach[2] + 1)][];
        for (int dz = -reach[2]; dz <= reach[2]; dz++) {
            for (int dy = -reach[1]; dy <= reach[1]; dy++) {
                for (int dx = -reach[0]; dx <= reach[0]; dx++) {
                    double ex = dx * image.spacing(0), ey = dy * image.spacing(1), ez = dz * image.spacing(2);
                    if (ex * ex + ey * ey + ez * ez <= r * r) stencil[count++] = new int[] {dx, dy, dz};
                }
            }
        }
        double maxIntensity = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < image.voxelCount(); i++) {
            if (image.inIntensityMask(i)) maxIntensity = Math.max(maxIntensity, image.intensity(i));
        }
        double local = Double.NEGATIVE_INFINITY, global = Double.NEGATIVE_INFINITY;
        int nx = image.nx(), ny = image.ny(), nz = image.nz();
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = image.index(x, y, z);
                    if (!image.inIntensityMask(i)) continue;
                    double sum = 0;
                    int n = 0;
                    for (int s = 0; s < count; s++) {
                        int qx = x + stencil[s][0], qy = y + stencil[s][1], qz = z + stencil[s][2];
                        if (qx < 0 || qy < 0 || qz < 0 || qx >= nx || qy >= ny || qz >= nz) continue;
                        sum += image.intensity(image.index(qx, qy, qz));
                        n++;
                    }
                    double mean = sum / n;
                    global = Math.max(global, mean);
                    if (image.intensity(i) == maxIntensity) local = Math.max(local, mean);
                }
            }
        }
        out.add(LOCAL, Aggregation.FEATURE_3D, local);
        out.add(GLOBAL, Aggregation.FEATURE_3D, global);
        return out;
    }
}
