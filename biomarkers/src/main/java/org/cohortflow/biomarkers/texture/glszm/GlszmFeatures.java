package org.cohortflow.biomarkers.texture.glszm;

import java.util.ArrayList;
import java.util.List;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.texture.EmphasisFeatureSet;
import org.cohortflow.biomarkers.texture.TextureAggregator;
import org.cohortflow.biomarkers.texture.TextureMatrix;
import org.cohortflow.biomarkers.texture.Zones;

/** Grey level size zone matrix features (IBSI 3.8): 2D averaged, 2.5D merged and 3D. */
public final class GlszmFeatures {
    private static final EmphasisFeatureSet FEATURES = new EmphasisFeatureSet(EmphasisFeatureSet.definitions(
            "Small zone emphasis", "5QRC",
            "Large zone emphasis", "48P8",
            "Low grey level zone emphasis", "XMSY",
            "High grey level zone emphasis", "5GN9",
            "Small zone low grey level emphasis", "5RAI",
            "Small zone high grey level emphasis", "HW1V",
            "Large zone low grey level emphasis", "YH51",
            "Large zone high grey level emphasis", "J17V",
            "Grey level non-uniformity", "JNSA",
            "Normalised grey level non-uniformity", "Y1RO",
            "Zone size non-uniformity", "4JP3",
            "Normalised zone size non-uniformity", "VB3A",
            "Zone percentage", "P30P",
            "Grey level variance", "BYLV",
            "Zone size variance", "3NSA",
            "Zone size entropy", "GU8N"));

    private GlszmFeatures() {
    }

    /** @return the features of this family, in output order */
    public static List<org.cohortflow.biomarkers.feature.FeatureDefinition> featureDefinitions() {
        return FEATURES.definitions();
    }

    /** Computes GLSZM features for all aggregations. */
    public static FeatureList compute(DiscretisedImage image) {
        List<TextureMatrix> bySlice = new ArrayList<>();
        for (int z = 0; z < image.nz(); z++) {
            if (image.sliceHasRoi(z)) bySlice.add(matrix(image, z, z, false));
        }
        return new TextureAggregator(FeatureFamily.GLSZM, FEATURES)
                .directionFree(bySlice, matrix(image, 0, image.nz() - 1, true));
    }

    static TextureMatrix matrix(DiscretisedImage img, int zFrom, int zTo, boolean volumetric) {
        List<int[]> zones = new ArrayList<>();
        Zones.forEach(img, zFrom, zTo, volumetric, null, (g, size, d) -> zones.add(new int[] {g, size}));
        int maxSize = 1;
        int voxels = 0;
        for (int[] z : zones) {
            maxSize = Math.max(maxSize, z[1]);
            voxels += z[1];
        }
        int ng = img.ng();
        double[] c = new double[ng * maxSize];
        for (int[] z : zones) c[(z[0] - 1) * maxSize + (z[1] - 1)]++;
        return new TextureMatrix(ng, maxSize, c, voxels);
    }
}
