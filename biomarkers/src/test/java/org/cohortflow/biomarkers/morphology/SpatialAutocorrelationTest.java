package org.cohortflow.biomarkers.morphology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.cohortflow.biomarkers.image.RoiImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The convolution form of Moran's I and Geary's C equals the literal pair loop. */
class SpatialAutocorrelationTest {

    /** A blob with a smooth intensity trend plus noise, in a grid with anisotropic spacing. */
    static RoiImage blob(int nx, int ny, int nz, double sx, double sy, double sz, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = nx * ny * nz;
        float[] v = new float[n];
        boolean[] mask = new boolean[n];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    double u = (x + 0.5) / nx - 0.5, w = (y + 0.5) / ny - 0.5, t = (z + 0.5) / nz - 0.5;
                    // Irregular outline (holes, a concave side) so the mask is not its bounding box.
                    mask[i] = u * u + w * w + t * t < 0.2 && random.nextDouble() < 0.9 && !(u > 0.2 && w > 0.1);
                    v[i] = (float) Math.rint(-300 + 400 * u + 150 * w * t + 40 * random.nextGaussian());
                }
            }
        }
        return RoiImage.of(new int[] {nx, ny, nz}, new double[] {sx, sy, sz}, v, mask);
    }

    @ParameterizedTest(name = "{0}x{1}x{2} voxels of {3}x{4}x{5} mm")
    @CsvSource({"12,9,7,1,1,1,1", "23,17,9,0.98,0.98,3.27,2", "16,16,1,2,2,2,3", "1,20,30,2,1.5,3,4", "31,27,19,2,2,2,5"})
    void transformsEqualThePairLoop(int nx, int ny, int nz, double sx, double sy, double sz, long seed) {
        RoiImage image = blob(nx, ny, nz, sx, sy, sz, seed);
        assertTrue(image.intensityMaskCount() > 10, image.toString());
        double[] exact = SpatialAutocorrelation.pairLoop(image);
        double[] fast = SpatialAutocorrelation.transforms(image);
        assertEquals(exact[0], fast[0], 1e-10 * Math.abs(exact[0]), "Moran's I");
        assertEquals(exact[1], fast[1], 1e-10 * Math.abs(exact[1]), "Geary's C");
    }
}
