package org.cohortflow.biomarkers.intensity;

import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.RoiImage;

/** Intensity-based statistical features (IBSI 3.3) over the intensity mask. */
public final class IntensityStatistics {
    private static final String[][] DEFS = {
        {"Mean intensity", "Q4LE"}, {"Intensity variance", "ECT3"}, {"Intensity skewness", "KE2A"},
        {"(Excess) intensity kurtosis", "IPH6"}, {"Median intensity", "Y12H"},
        {"Minimum intensity", "1GSF"}, {"10th intensity percentile", "QG58"},
        {"90th intensity percentile", "8DWT"}, {"Maximum intensity", "84IY"},
        {"Intensity interquartile range", "SALO"}, {"Intensity range", "2OJQ"},
        {"Intensity-based mean absolute deviation", "4FUA"},
        {"Intensity-based robust mean absolute deviation", "1128"},
        {"Intensity-based median absolute deviation", "N72L"},
        {"Intensity-based coefficient of variation", "7TET"},
        {"Intensity-based quartile coefficient of dispersion", "9S40"},
        {"Intensity-based energy", "N8CA"}, {"Root mean square intensity", "5ZWQ"}};

    private IntensityStatistics() {
    }

    /** @return the features of this family, in output order */
    public static java.util.List<org.cohortflow.biomarkers.feature.FeatureDefinition> featureDefinitions() {
        java.util.List<org.cohortflow.biomarkers.feature.FeatureDefinition> out = new java.util.ArrayList<>();
        for (String[] d : DEFS) out.add(new org.cohortflow.biomarkers.feature.FeatureDefinition(d[0], d[1]));
        return out;
    }

    /** Computes the 18 statistics; all are undefined for an empty intensity mask. */
    public static FeatureList compute(RoiImage image) {
        FeatureList out = new FeatureList(FeatureFamily.INTENSITY_STATISTICS);
        double[] values = image.roiIntensities();

        if (values.length == 0) {
            for (String[] d : DEFS) {
                out.undefined(new org.cohortflow.biomarkers.feature.FeatureDefinition(d[0], d[1]),
                        Aggregation.FEATURE_3D, "empty intensity mask");
            }
            return out;
        }
        Descriptive s = new Descriptive(values);
        double energy = 0;
        for (double v : values) energy += v * v;
        double[] v = {
            s.mean, s.m2, s.skewness(), s.kurtosis(), s.percentile(50), s.sorted[0], s.percentile(10),
            s.percentile(90), s.sorted[s.n() - 1], s.percentile(75) - s.percentile(25),
            s.sorted[s.n() - 1] - s.sorted[0], s.meanAbsoluteDeviation(), s.robustMeanAbsoluteDeviation(),
            s.medianAbsoluteDeviation(), Math.sqrt(s.m2) / s.mean, s.quartileCoefficientOfDispersion(),
            energy, Math.sqrt(energy / s.n())};
        for (int k = 0; k < DEFS.length; k++) {
            out.add(DEFS[k][0], DEFS[k][1], Aggregation.FEATURE_3D, v[k]);
        }
        return out;
    }
}
