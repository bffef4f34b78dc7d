package org.cohortflow.biomarkers.texture.ngtdm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.texture.TextureMatrix;
import org.junit.jupiter.api.Test;

/** The IBSI manual's NGTDM values where the formulas divide by zero. */
class NgtdmDegenerateCasesTest {

    @Test
    void aRegionOfOneGreyLevelHasCoarsenessTenToTheSixAndZeroContrastBusynessAndStrength() {
        int[] levels = new int[27];
        java.util.Arrays.fill(levels, 2);
        DiscretisedImage image = new DiscretisedImage(new int[] {3, 3, 3}, new double[] {1, 1, 1}, levels, 3);
        TextureMatrix m = NgtdmFeatures.matrix(image, 0, 2, 1, true);
        // coarseness, contrast, busyness, complexity, strength
        assertArrayEquals(new double[] {1e6, 0, 0, 0, 0}, new NgtdmFeatures().compute(m), 0);
    }
}
