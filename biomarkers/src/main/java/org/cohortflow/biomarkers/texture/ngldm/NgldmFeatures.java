package org.cohortflow.biomarkers.texture.ngldm;

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

/**
 * Neighbouring grey level dependence matrix features (IBSI 3.11). A voxel's dependence count is 1
 * (itself) plus the number of ROI neighbours within Chebyshev distance {@code distance} whose grey
 * level differs by at most {@code alpha}.
 */
public final class NgldmFeatures {
    private static final EmphasisFeatureSet FEATURES = new EmphasisFeatureSet(EmphasisFeatureSet.definitions(
            "Low dependence emphasis", "SODN",
            "High dependence emphasis", "IMOQ",
            "Low grey level count emphasis", "TL9H",
            "High grey level count emphasis", "OAE7",
            "Low dependence low grey level emphasis", "EQ3F",
            "Low dependence high grey level emphasis", "JA6D",
            "High dependence low grey level emphasis", "NBZI",
            "High dependence high grey level emphasis", "9QMG",
            "Grey level non-uniformity", "FP8K",
            "Normalised grey level non-uniformity", "5SPA",
            "Dependence count non-uniformity", "Z87G",
            "Normalised dependence count non-uniformity", "OKJI",
            "Dependence count percentage", "6XV8",
            "Grey level variance", "1PFV",
            "Dependence count variance", "DNX2",
            "Dependence count entropy", "FCBV",
            "Dependence count energy", "CAS9"));

    private NgldmFeatures() {
    }

    /** @return the features of this family, in output order */
    public static List<org.cohortflow.biomarkers.feature.FeatureDefinition> featureDefinitions() {
        return FEATURES.definitions();
    }

    /**
     * Computes NGLDM features for all aggregations.
     *
     * @param alpha    coarseness: largest grey level difference that still counts as dependent
     * @param distance Chebyshev neighbourhood distance
     */
    public static FeatureList compute(DiscretisedImage image, int alpha, int distance) {
        List<TextureMatrix> bySlice = new ArrayList<>();
        for (int z = 0; z < image.nz(); z++) {
            if (image.sliceHasRoi(z)) bySlice.add(matrix(image, z, z, alpha, distance, false));
        }
        return new TextureAggregator(FeatureFamily.NGLDM, FEATURES)
                .directionFree(bySlice, matrix(image, 0, image.nz() - 1, alpha, distance, true));
    }

    static TextureMatrix matrix(DiscretisedImage img, int zFrom, int zTo, int alpha, int distance,
                                boolean volumetric) {
        List<Direction> offsets = Neighbourhood.chebyshev(distance, volumetric);
        int ng = img.ng();
        int cols = offsets.size() + 1;
        double[] c = new double[ng * cols];
        int voxels = 0;
        for (int z = zFrom; z <= zTo; z++) {
            for (int y = 0; y < img.ny(); y++) {
                for (int x = 0; x < img.nx(); x++) {
                    int g = img.level(img.index(x, y, z));
                    if (g == 0) continue;
                    voxels++;
                    int k = 1;
                    for (Direction d : offsets) {
                        int qz = z + d.dz();
                        if (qz < zFrom || qz > zTo) continue;
                        int q = img.levelAt(x + d.dx(), y + d.dy(), qz);
                        if (q > 0 && Math.abs(q - g) <= alpha) k++;
                    }
                    c[(g - 1) * cols + (k - 1)]++;
                }
            }
        }
        return new TextureMatrix(ng, cols, c, voxels);
    }
}
