package org.cohortflow.biomarkers.texture.glcm;

import java.util.ArrayList;
import java.util.List;
import org.cohortflow.biomarkers.feature.FeatureDefinition;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.texture.Direction;
import org.cohortflow.biomarkers.texture.EmphasisFeatureSet;
import org.cohortflow.biomarkers.texture.TextureAggregator;
import org.cohortflow.biomarkers.texture.TextureFeatureSet;
import org.cohortflow.biomarkers.texture.TextureMatrix;

/** Grey level co-occurrence matrix features (IBSI 3.6) with all six aggregations. */
public final class GlcmFeatures implements TextureFeatureSet {
    private static final List<FeatureDefinition> DEFINITIONS = EmphasisFeatureSet.definitions(
            "Joint maximum", "GYBY",
            "Joint average", "60VM",
            "Joint variance", "UR99",
            "Joint entropy", "TU9B",
            "Difference average", "TF7R",
            "Difference variance", "D3YU",
            "Difference entropy", "NTRS",
            "Sum average", "ZGXS",
            "Sum variance", "OEEB",
            "Sum entropy", "P6QZ",
            "Angular second moment", "8ZQL",
            "Contrast", "ACUI",
            "Dissimilarity", "8S9J",
            "Inverse difference", "IB1Z",
            "Normalised inverse difference", "NDRX",
            "Inverse difference moment", "WF0Z",
            "Normalised inverse difference moment", "1QCO",
            "Inverse variance", "E8JP",
            "Correlation", "NI2N",
            "Autocorrelation", "QWB0",
            "Cluster tendency", "DG8W",
            "Cluster shade", "7NFM",
            "Cluster prominence", "AE86",
            "Information correlation 1", "R8DG",
            "Information correlation 2", "JN9H");

    private static final double LN2 = Math.log(2);

    /**
     * Computes GLCM features for all aggregations.
     *
     * @param image    discretised image
     * @param distance Chebyshev distance between voxel pairs (IBSI default 1)
     */
    public static FeatureList compute(DiscretisedImage image, int distance) {
        List<List<TextureMatrix>> bySlice = new ArrayList<>();
        for (int z = 0; z < image.nz(); z++) {
            if (!image.sliceHasRoi(z)) continue;
            List<TextureMatrix> dirs = new ArrayList<>();
            for (Direction d : Direction.inPlane()) {
                dirs.add(matrix(image, d.times(distance), z, z));
            }
            bySlice.add(dirs);
        }
        List<TextureMatrix> volume = new ArrayList<>();
        for (Direction d : Direction.volumetric()) {
            volume.add(matrix(image, d.times(distance), 0, image.nz() - 1));
        }
        return new TextureAggregator(FeatureFamily.GLCM, new GlcmFeatures()).directional(bySlice, volume);
    }

    /** Symmetric co-occurrence counts for one offset over slices {@code zFrom..zTo}. */
    static TextureMatrix matrix(DiscretisedImage img, Direction d, int zFrom, int zTo) {
        int ng = img.ng();
        double[] c = new double[ng * ng];
        int voxels = 0;
        for (int z = zFrom; z <= zTo; z++) {
            int z2 = z + d.dz();
            boolean z2Inside = z2 >= zFrom && z2 <= zTo;
            for (int y = 0; y < img.ny(); y++) {
                for (int x = 0; x < img.nx(); x++) {
                    int a = img.level(img.index(x, y, z));
                    if (a == 0) continue;
                    voxels++;
                    if (!z2Inside) continue;
                    int b = img.levelAt(x + d.dx(), y + d.dy(), z2);
                    if (b == 0) continue;
                    c[(a - 1) * ng + (b - 1)]++;
                    c[(b - 1) * ng + (a - 1)]++;
                }
            }
        }
        return new TextureMatrix(ng, ng, c, voxels);
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
        double total = m.total();
        double[][] p = new double[ng + 1][ng + 1];
        double[] pi = new double[ng + 1];
        double[] diff = new double[ng];
        double[] sum = new double[2 * ng + 1];
        double max = 0, mu = 0;
        for (int i = 1; i <= ng; i++) {
            for (int j = 1; j <= ng; j++) {
                double v = m.get(i, j) / total;
                p[i][j] = v;
                pi[i] += v;
                diff[Math.abs(i - j)] += v;
                sum[i + j] += v;
                max = Math.max(max, v);
                mu += i * v;
            }
        }
        double var = 0, jointEntropy = 0, asm = 0, contrast = 0, dissimilarity = 0, id = 0, idn = 0;
        double idm = 0, idmn = 0, auto = 0, tendency = 0, shade = 0, prominence = 0, hxy1 = 0, hxy2 = 0;
        double cov = 0;
        for (int i = 1; i <= ng; i++) {
            for (int j = 1; j <= ng; j++) {
                double v = p[i][j];
                double pp = pi[i] * pi[j];
                if (pp > 0) hxy2 -= pp * log2(pp);
                if (v == 0) continue;
                int k = Math.abs(i - j);
                var += (i - mu) * (i - mu) * v;
                jointEntropy -= v * log2(v);
                asm += v * v;
                contrast += (double) k * k * v;
                dissimilarity += k * v;
                id += v / (1.0 + k);
                idn += v / (1.0 + (double) k / ng);
                idm += v / (1.0 + (double) k * k);
                idmn += v / (1.0 + (double) k * k / ((double) ng * ng));
                auto += (double) i * j * v;
                double s = i + j - 2 * mu;
                tendency += s * s * v;
                shade += s * s * s * v;
                prominence += s * s * s * s * v;
                hxy1 -= v * log2(pp);
                cov += (i - mu) * (j - mu) * v;
            }
        }
        double diffAvg = 0, diffEntropy = 0, inverseVariance = 0;
        for (int k = 0; k < ng; k++) {
            diffAvg += k * diff[k];
            if (diff[k] > 0) diffEntropy -= diff[k] * log2(diff[k]);
            if (k > 0) inverseVariance += diff[k] / ((double) k * k);
        }
        double diffVar = 0;
        for (int k = 0; k < ng; k++) diffVar += (k - diffAvg) * (k - diffAvg) * diff[k];
        double sumAvg = 0, sumEntropy = 0;
        for (int k = 2; k <= 2 * ng; k++) {
            sumAvg += k * sum[k];
            if (sum[k] > 0) sumEntropy -= sum[k] * log2(sum[k]);
        }
        double sumVar = 0;
        for (int k = 2; k <= 2 * ng; k++) sumVar += (k - sumAvg) * (k - sumAvg) * sum[k];
        double hx = 0;
        for (int i = 1; i <= ng; i++) if (pi[i] > 0) hx -= pi[i] * log2(pi[i]);
        return new double[] {
            max, mu, var, jointEntropy, diffAvg, diffVar, diffEntropy, sumAvg, sumVar, sumEntropy,
            asm, contrast, dissimilarity, id, idn, idm, idmn, inverseVariance,
            cov / var, auto, tendency, shade, prominence,
            (jointEntropy - hxy1) / hx,
            Math.sqrt(1 - Math.exp(-2 * (hxy2 - jointEntropy)))
        };
    }

    private static double log2(double v) {
        return Math.log(v) / LN2;
    }
}
