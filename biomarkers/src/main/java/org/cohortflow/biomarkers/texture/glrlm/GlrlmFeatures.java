package org.cohortflow.biomarkers.texture.glrlm;

import java.util.ArrayList;
import java.util.List;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.texture.Direction;
import org.cohortflow.biomarkers.texture.EmphasisFeatureSet;
import org.cohortflow.biomarkers.texture.TextureAggregator;
import org.cohortflow.biomarkers.texture.TextureMatrix;

/** Grey level run length matrix features (IBSI 3.7) with all six aggregations. */
public final class GlrlmFeatures {
    private static final EmphasisFeatureSet FEATURES = new EmphasisFeatureSet(EmphasisFeatureSet.definitions(
            "Short runs emphasis", "22OV",
            "Long runs emphasis", "W4KF",
            "Low grey level run emphasis", "V3SW",
            "High grey level run emphasis", "G3QZ",
            "Short run low grey level emphasis", "HTZT",
            "Short run high grey level emphasis", "GD3A",
            "Long run low grey level emphasis", "IVPO",
            "Long run high grey level emphasis", "3KUM",
            "Grey level non-uniformity", "R5YN",
            "Normalised grey level non-uniformity", "OVBL",
            "Run length non-uniformity", "W92Y",
            "Normalised run length non-uniformity", "IC23",
            "Run percentage", "9ZK5",
            "Grey level variance", "8CE5",
            "Run length variance", "SXLW",
            "Run entropy", "HJ9O"));

    private GlrlmFeatures() {
    }

    /** @return the features of this family, in output order */
    public static List<org.cohortflow.biomarkers.feature.FeatureDefinition> featureDefinitions() {
        return FEATURES.definitions();
    }

    /** Computes GLRLM features for all aggregations. */
    public static FeatureList compute(DiscretisedImage image) {
        List<List<TextureMatrix>> bySlice = new ArrayList<>();
        for (int z = 0; z < image.nz(); z++) {
            if (!image.sliceHasRoi(z)) continue;
            List<TextureMatrix> dirs = new ArrayList<>();
            for (Direction d : Direction.inPlane()) {
                dirs.add(matrix(image, d, z, z));
            }
            bySlice.add(dirs);
        }
        List<TextureMatrix> volume = new ArrayList<>();
        for (Direction d : Direction.volumetric()) {
            volume.add(matrix(image, d, 0, image.nz() - 1));
        }
        return new TextureAggregator(FeatureFamily.GLRLM, FEATURES).directional(bySlice, volume);
    }

    /** Run lengths along one direction over slices {@code zFrom..zTo}. */
    static TextureMatrix matrix(DiscretisedImage img, Direction d, int zFrom, int zTo) {
        int ng = img.ng();
        int maxRun = Math.max(img.nx(), Math.max(img.ny(), zTo - zFrom + 1));
        double[] c = new double[ng * maxRun];
        int voxels = 0;
        for (int z = zFrom; z <= zTo; z++) {
            for (int y = 0; y < img.ny(); y++) {
                for (int x = 0; x < img.nx(); x++) {
                    int g = img.level(img.index(x, y, z));
                    if (g == 0) continue;
                    voxels++;
                    int pz = z - d.dz();
                    // A run starts where the previous voxel along the direction differs.
                    if (pz >= zFrom && pz <= zTo && img.levelAt(x - d.dx(), y - d.dy(), pz) == g) continue;
                    int len = 1;
                    int cx = x + d.dx(), cy = y + d.dy(), cz = z + d.dz();
                    while (cz >= zFrom && cz <= zTo && img.levelAt(cx, cy, cz) == g) {
                        len++;
                        cx += d.dx();
                        cy += d.dy();
                        cz += d.dz();
                    }
                    c[(g - 1) * maxRun + (len - 1)]++;
                }
            }
        }
        return new TextureMatrix(ng, maxRun, c, voxels);
    }
}
