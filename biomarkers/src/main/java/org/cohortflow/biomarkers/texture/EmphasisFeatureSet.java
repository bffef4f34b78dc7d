package org.cohortflow.biomarkers.texture;

import java.util.List;
import org.cohortflow.biomarkers.feature.FeatureDefinition;

/**
 * The feature formulas GLRLM, GLSZM, GLDZM and NGLDM share: emphases, non-uniformities, percentage,
 * variances and entropy of a matrix {@code m(i, j)} with grey level {@code i} and a count-like
 * column {@code j} (run length, zone size, distance, dependence count), both starting at 1.
 *
 * <p>The 16 (optionally 17, with energy) definitions must be given in this order: short/small-j
 * emphasis, long/large-j emphasis, low grey level emphasis, high grey level emphasis, small-j low
 * grey, small-j high grey, large-j low grey, large-j high grey, grey level non-uniformity, its
 * normalised form, j non-uniformity, its normalised form, percentage, grey level variance, j
 * variance, j entropy[, j energy].
 */
public final class EmphasisFeatureSet implements TextureFeatureSet {
    private final List<FeatureDefinition> definitions;
    private final boolean withEnergy;

    /** @param definitions 16 or 17 definitions in the documented order */
    public EmphasisFeatureSet(List<FeatureDefinition> definitions) {
        if (definitions.size() != 16 && definitions.size() != 17) {
            throw new IllegalArgumentException("16 or 17 definitions expected, got " + definitions.size());
        }
        this.definitions = List.copyOf(definitions);
        this.withEnergy = definitions.size() == 17;
    }

    @Override
    public List<FeatureDefinition> definitions() {
        return definitions;
    }

    @Override
    public double[] compute(TextureMatrix m) {
        int ng = m.ng();
        int nc = m.cols();
        double ns = m.total();
        double[] rowSum = new double[ng + 1];
        double[] colSum = new double[nc + 1];
        double sje = 0, lje = 0, lge = 0, hge = 0, sjlge = 0, sjhge = 0, ljlge = 0, ljhge = 0;
        double entropy = 0, energy = 0;
        for (int i = 1; i <= ng; i++) {
            double i2 = (double) i * i;
            for (int j = 1; j <= nc; j++) {
                double c = m.get(i, j);
                if (c == 0) continue;
                double j2 = (double) j * j;
                rowSum[i] += c;
                colSum[j] += c;
                sje += c / j2;
                lje += c * j2;
                lge += c / i2;
                hge += c * i2;
                sjlge += c / (i2 * j2);
                sjhge += c * i2 / j2;
                ljlge += c * j2 / i2;
                ljhge += c * i2 * j2;
                double p = c / ns;
                entropy -= p * Math.log(p) / Math.log(2);
                energy += p * p;
            }
        }
        double glnu = 0, jnu = 0, muI = 0, muJ = 0;
        for (int i = 1; i <= ng; i++) {
            glnu += rowSum[i] * rowSum[i];
            muI += i * rowSum[i] / ns;
        }
        for (int j = 1; j <= nc; j++) {
            jnu += colSum[j] * colSum[j];
            muJ += j * colSum[j] / ns;
        }
        double varI = 0, varJ = 0;
        for (int i = 1; i <= ng; i++) varI += (i - muI) * (i - muI) * rowSum[i] / ns;
        for (int j = 1; j <= nc; j++) varJ += (j - muJ) * (j - muJ) * colSum[j] / ns;
        double[] v = new double[definitions.size()];
        v[0] = sje / ns;
        v[1] = lje / ns;
        v[2] = lge / ns;
        v[3] = hge / ns;
        v[4] = sjlge / ns;
        v[5] = sjhge / ns;
        v[6] = ljlge / ns;
        v[7] = ljhge / ns;
        v[8] = glnu / ns;
        v[9] = glnu / (ns * ns);
        v[10] = jnu / ns;
        v[11] = jnu / (ns * ns);
        v[12] = ns / m.voxels();
        v[13] = varI;
        v[14] = varJ;
        v[15] = entropy;
        if (withEnergy) {
            v[16] = energy;
        }
        return v;
    }

    /** Builds definitions from alternating name/code strings. */
    public static List<FeatureDefinition> definitions(String... namesAndCodes) {
        FeatureDefinition[] defs = new FeatureDefinition[namesAndCodes.length / 2];
        for (int k = 0; k < defs.length; k++) {
            defs[k] = new FeatureDefinition(namesAndCodes[2 * k], namesAndCodes[2 * k + 1]);
        }
        return List.of(defs);
    }
}
