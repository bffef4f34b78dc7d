package org.cohortflow.biomarkers.intensity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.RoiImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The run-based sphere sums give the peaks of the literal voxel-by-voxel sphere sums. */
class LocalIntensityTest {

    @ParameterizedTest(name = "{0}x{1}x{2} voxels of {3}x{4}x{5} mm, integer {6}")
    @CsvSource({"20,18,9,1,1,1,true,1", "25,21,12,0.98,0.98,3.27,true,2", "17,30,11,2,2,2,false,3",
        "9,9,40,3,1.5,0.8,false,4", "1,14,13,2,1,1.5,true,5", "30,28,14,0.7,0.7,2.5,false,6"})
    void peaksEqualTheDirectSphereSums(int nx, int ny, int nz, double sx, double sy, double sz, boolean integer,
                                        long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = nx * ny * nz;
        float[] v = new float[n];
        boolean[] mask = new boolean[n];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    double u = (x + 0.5) / nx - 0.5, w = (y + 0.5) / ny - 0.5, t = (z + 0.5) / nz - 0.5;
                    mask[i] = u * u + w * w + t * t < 0.15 && random.nextDouble() < 0.95;
                    double value = -200 + 300 * u + 100 * w * t + 60 * random.nextGaussian();
                    // Ties at the maximum make the local peak choose among several centres.
                    if (random.nextDouble() < 0.01) value = 400;
                    v[i] = (float) (integer ? Math.rint(value) : value);
                }
            }
        }
        RoiImage image = RoiImage.of(new int[] {nx, ny, nz}, new double[] {sx, sy, sz}, v, mask);
        double[] expected = direct(image);
        FeatureList features = LocalIntensity.compute(image);
        double local = features.features().get(0).value(), global = features.features().get(1).value();
        double tol = integer ? 0 : 1e-12 * Math.abs(expected[1]);
        assertEquals(expected[0], local, integer ? 0 : 1e-12 * Math.abs(expected[0]), "local peak");
        assertEquals(expected[1], global, tol, "global peak");
    }

    /** The definition: sum over every grid voxel whose centre is within the sphere, one by one. */
    private static double[] direct(RoiImage image) {
        double r = LocalIntensity.sphereRadiusMm();
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < image.voxelCount(); i++) {
            if (image.inIntensityMask(i)) max = Math.max(max, image.intensity(i));
        }
        double local = Double.NEGATIVE_INFINITY, global = Double.NEGATIVE_INFINITY;
        int[] reach = new int[3];
        for (int a = 0; a < 3; a++) reach[a] = (int) Math.floor(r / image.spacing(a));
        for (int z = 0; z < image.nz(); z++) {
            for (int y = 0; y < image.ny(); y++) {
                for (int x = 0; x < image.nx(); x++) {
                    int i = image.index(x, y, z);
                    if (!image.inIntensityMask(i)) continue;
                    double sum = 0;
                    int count = 0;
                    for (int dz = -reach[2]; dz <= reach[2]; dz++) {
                        for (int dy = -reach[1]; dy <= reach[1]; dy++) {
                            for (int dx = -reach[0]; dx <= reach[0]; dx++) {
                                double ex = dx * image.spacing(0), ey = dy * image.spacing(1), ez = dz * image.spacing(2);
                                if (ex * ex + ey * ey + ez * ez > r * r) continue;
                                int qx = x + dx, qy = y + dy, qz = z + dz;
                                if (qx < 0 || qy < 0 || qz < 0 || qx >= image.nx() || qy >= image.ny() || qz >= image.nz()) {
                                    continue;
                                }
                                sum += image.intensity(image.index(qx, qy, qz));
                                count++;
                            }
                        }
                    }
                    double mean = sum / count;
                    global = Math.max(global, mean);
                    if (image.intensity(i) == max) local = Math.max(local, mean);
                }
            }
        }
        return new double[] {local, global};
    }
}
