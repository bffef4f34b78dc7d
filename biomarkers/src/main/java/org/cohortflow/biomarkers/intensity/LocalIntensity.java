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
 *
 * <p>Each sphere sum is taken as x-runs over prefix sums along x (same voxels as summing them one by one):
 * identical to the voxel-by-voxel sum for integer intensities, within double rounding otherwise.
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
        int nx = image.nx(), ny = image.ny(), nz = image.nz();
        int[] reach = new int[3];
        for (int a = 0; a < 3; a++) reach[a] = (int) Math.floor(r / image.spacing(a));
        // The sphere as x runs: for each (dy, dz) the offsets dx in [-rx, rx], with the same membership
        // test as voxel by voxel (the test is monotone in |dx|, so the run is exactly the member set).
        int rows = 0;
        int[] rowDy = new int[(2 * reach[1] + 1) * (2 * reach[2] + 1)];
        int[] rowDz = new int[rowDy.length];
        int[] rowRx = new int[rowDy.length];
        for (int dz = -reach[2]; dz <= reach[2]; dz++) {
            for (int dy = -reach[1]; dy <= reach[1]; dy++) {
                int rx = -1;
                while (rx < reach[0] && inSphere(image, rx + 1, dy, dz, r)) rx++;
                if (rx < 0) continue;
                rowDy[rows] = dy;
                rowDz[rows] = dz;
                rowRx[rows] = rx;
                rows++;
            }
        }
        // Prefix sums along x turn each run into two look-ups. With integer intensities (CT after rounding)
        // every partial sum is an exact double, so the sphere sums equal the voxel-by-voxel sums exactly;
        // otherwise they differ by double rounding only.
        int stride = nx + 1;
        double[] prefix = new double[stride * ny * nz];
        double maxIntensity = Double.NEGATIVE_INFINITY;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                int row = stride * (y + ny * z);
                double acc = 0;
                for (int x = 0; x < nx; x++) {
                    int i = image.index(x, y, z);
                    float v = image.intensity(i);
                    acc += v;
                    prefix[row + x + 1] = acc;
                    if (image.inIntensityMask(i)) maxIntensity = Math.max(maxIntensity, v);
                }
            }
        }
        double local = Double.NEGATIVE_INFINITY, global = Double.NEGATIVE_INFINITY;
        double[] sum = new double[nx];
        int[] count = new int[nx];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                int x0 = nx, x1 = -1;
                for (int x = 0; x < nx; x++) {
                    if (image.inIntensityMask(image.index(x, y, z))) {
                        x0 = Math.min(x0, x);
                        x1 = x;
                    }
                }
                if (x1 < 0) continue;
                java.util.Arrays.fill(sum, x0, x1 + 1, 0);
                java.util.Arrays.fill(count, x0, x1 + 1, 0);
                for (int k = 0; k < rows; k++) {
                    int qy = y + rowDy[k], qz = z + rowDz[k];
                    if (qy < 0 || qz < 0 || qy >= ny || qz >= nz) continue;
                    int q = stride * (qy + ny * qz);
                    int rx = rowRx[k];
                    for (int x = x0; x <= x1; x++) {
                        int lo = Math.max(0, x - rx), hi = Math.min(nx, x + rx + 1);
                        sum[x] += prefix[q + hi] - prefix[q + lo];
                        count[x] += hi - lo;
                    }
                }
                for (int x = x0; x <= x1; x++) {
                    int i = image.index(x, y, z);
                    if (!image.inIntensityMask(i)) continue;
                    double mean = sum[x] / count[x];
                    global = Math.max(global, mean);
                    if (image.intensity(i) == maxIntensity) local = Math.max(local, mean);
                }
            }
        }
        out.add(LOCAL, Aggregation.FEATURE_3D, local);
        out.add(GLOBAL, Aggregation.FEATURE_3D, global);
        return out;
    }

    private static boolean inSphere(RoiImage image, int dx, int dy, int dz, double r) {
        double ex = dx * image.spacing(0), ey = dy * image.spacing(1), ez = dz * image.spacing(2);
        return ex * ex + ey * ey + ez * ez <= r * r;
    }
}
