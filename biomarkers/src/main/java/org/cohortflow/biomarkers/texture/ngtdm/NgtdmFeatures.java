package org.cohortflow.biomarkers.texture.ngtdm;

import java.util.ArrayList;
import java.util.List;
import org.cohortflow.biomarkers.feature.FeatureDefinition;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.texture.Direction;
import org.cohortflow.biomarkers.texture.EmphasisFeatureSet;
import org.cohortflow.biomarkers.texture.Neighbourhood;
import org.cohortflow.biomarkers.texture.TextureAggregator;
import org.cohortflow.biomarkers.texture.TextureFeatureSet;
import org.cohortflow.biomarkers.texture.TextureMatrix;

/**
 * Neighbourhood grey tone difference matrix features (IBSI 3.10). The matrix has two columns per
 * grey level: the number of voxels {@code n_i} with a valid neighbourhood and the summed absolute
 * difference {@code s_i} to their neighbourhood mean. Voxels whose neighbourhood has no ROI voxel
 * are left out, as IBSI prescribes.
 */
public final class NgtdmFeatures implements TextureFeatureSet {
    private static final List<FeatureDefinition> DEFINITIONS = EmphasisFeatureSet.definitions(
            "Coarseness", "QCDE",
            "Contrast", "65HE",
            "Busyness", "NQ30",
            "Complexity", "HDEZ",
            "Strength", "1X9X");

    /**
     * Computes NGTDM features for all aggregations.
     *
     * @param distance Chebyshev neighbourhood distance (IBSI default 1)
     */
    public static FeatureList compute(DiscretisedImage image, int distance) {
        List<TextureMatrix> bySlice = new ArrayList<>();
        for (int z = 0; z < image.nz(); z++) {
            if (image.sliceHasRoi(z)) bySlice.add(matrix(image, z, z, distance, false));
        }
        return new TextureAggregator(FeatureFamily.NGTDM, new NgtdmFeatures())
                .directionFree(bySlice, matrix(image, 0, image.nz() - 1, distance, true));
    }

    static TextureMatrix matrix(DiscretisedImage img, int zFrom, int zTo, int distance, boolean volumetric) {
        List<Direction> offsets = Neighbourhood.chebyshev(distance, volumetric);
        int ng = img.ng();
        double[] c = new double[ng * 2];
        int voxels = 0;
        for (int z = zFrom; z <= zTo; z++) {
            for (int y = 0; y < img.ny(); y++) {
                for (int x = 0; x < img.nx(); x++) {
                    int g = img.level(img.index(x, y, z));
                    if (g == 0) continue;
                    voxels++;
                    double sum = 0;
                    int count = 0;
                    for (Direction d : offsets) {
                        int qz = z + d.dz();
                        if (qz < zFrom || qz > zTo) continue;
                        int q = img.levelAt(x + d.dx(), y + d.dy(), qz);
                        if (q > 0) {
                            sum += q;
                            count++;
                        }
                    }
                    if (count == 0) continue;
                    c[(g - 1) * 2] += 1;
                    c[(g - 1) * 2 + 1] += Math.abs(g - sum / count);
                }
            }
        }
        return new TextureMatrix(ng, 2, c, voxels);
    }

    /** @return the features of this family, in output order */
    public static List<FeatureDefinition> featureDefinitions() {
        return DEFINITIONS;
    }

    @Override
    public List<FeatureDefinition> definitions() {
        return DEFINITIONS;
    }

    @Override
    public double[] compute(TextureMatrix m) {
        int ng = m.ng();
        double nvc = 0;
        for (int i = 1; i <= ng; i++) nvc += m.get(i, 1);
        double[] p = new double[ng + 1];
        double[] s = new double[ng + 1];
        int ngp = 0;
        double sumS = 0, sumPS = 0;
        for (int i = 1; i <= ng; i++) {
            p[i] = m.get(i, 1) / nvc;
            s[i] = m.get(i, 2);
            if (p[i] > 0) ngp++;
            sumS += s[i];
            sumPS += p[i] * s[i];
        }
        double contrastSum = 0, busyDenominator = 0, complexity = 0, strengthSum = 0;
        for (int i = 1; i <= ng; i++) {
            if (p[i] == 0) continue;
            for (int j = 1; j <= ng; j++) {
                if (p[j] == 0) continue;
                double d2 = (double) (i - j) * (i - j);
                contrastSum += p[i] * p[j] * d2;
                busyDenominator += Math.abs(i * p[i] - j * p[j]);
                complexity += Math.abs(i - j) * (p[i] * s[i] + p[j] * s[j]) / (p[i] + p[j]);
                strengthSum += (p[i] + p[j]) * d2;
            }
        }
        // The IBSI manual's values for the degenerate cases (a slice of one grey level, no neighbourhood
        // differences): coarseness at most 10^6, contrast and busyness 0 when one grey level is present,
        // strength 0 when the differences sum to 0. Busyness is also 0 when its denominator vanishes with more
        // than one grey level (i p_i equal for all present levels), as MIRP has it.
        double coarseness = sumPS > 1e-6 ? 1.0 / sumPS : 1e6;
        double contrast = ngp > 1 ? contrastSum / (ngp * (ngp - 1.0)) * sumS / nvc : 0;
        double busyness = ngp > 1 && busyDenominator > 0 ? sumPS / busyDenominator : 0;
        double strength = sumS > 0 ? strengthSum / sumS : 0;
        return new double[] {coarseness, contrast, busyness, complexity / nvc, strength};
    }
}
