package org.cohortflow.biomarkers.intensity;

import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.FeatureDefinition;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.DiscretisedImage;

/** Intensity histogram features (IBSI 3.4) over the discretised grey levels {@code 1..Ng}. */
public final class IntensityHistogram {
    private static final String[][] DEFS = {
        {"Mean discretised intensity", "X6K6"}, {"Discretised intensity variance", "CH89"},
        {"Discretised intensity skewness", "88K1"}, {"(Excess) discretised intensity kurtosis", "C3I7"},
        {"Median discretised intensity", "WIFQ"}, {"Minimum discretised intensity", "1PR8"},
        {"10th discretised intensity percentile", "GPMT"}, {"90th discretised intensity percentile", "OZ0C"},
        {"Maximum discretised intensity", "3NCY"}, {"Intensity histogram mode", "AMMC"},
        {"Discretised intensity interquartile range", "WR0O"}, {"Discretised intensity range", "5Z3W"},
        {"Intensity histogram mean absolute deviation", "D2ZX"},
        {"Intensity histogram robust mean absolute deviation", "WRZB"},
        {"Intensity histogram median absolute deviation", "4RNL"},
        {"Intensity histogram coefficient of variation", "CWYJ"},
        {"Intensity histogram quartile coefficient of dispersion", "SLWD"},
        {"Discretised intensity entropy", "TLU2"}, {"Discretised intensity uniformity", "BJ5W"},
        {"Maximum histogram gradient", "12CE"}, {"Maximum histogram gradient intensity", "8E6O"},
        {"Minimum histogram gradient", "VQB3"}, {"Minimum histogram gradient intensity", "RHQZ"}};

    private IntensityHistogram() {
    }

    /** @return the features of this family, in output order */
    public static java.util.List<org.cohortflow.biomarkers.feature.FeatureDefinition> featureDefinitions() {
        java.util.List<org.cohortflow.biomarkers.feature.FeatureDefinition> out = new java.util.ArrayList<>();
        for (String[] d : DEFS) out.add(new org.cohortflow.biomarkers.feature.FeatureDefinition(d[0], d[1]));
        return out;
    }

    /** Computes the 23 histogram features; undefined for an empty ROI. */
    public static FeatureList compute(DiscretisedImage image) {
        FeatureList out = new FeatureList(FeatureFamily.INTENSITY_HISTOGRAM);
        int[] levels = image.roiLevels();
        if (levels.length == 0) {
            for (String[] d : DEFS) {
                out.undefined(new FeatureDefinition(d[0], d[1]), Aggregation.FEATURE_3D, "empty intensity mask");
            }
            return out;
        }
        int ng = image.ng();
        double[] values = new double[levels.length];
        double[] h = new double[ng + 1];
        for (int k = 0; k < levels.length; k++) {
            values[k] = levels[k];
            h[levels[k]]++;
        }
        Descriptive s = new Descriptive(values);
        int n = levels.length;
        int mode = 1;
        double entropy = 0, uniformity = 0;
        for (int i = 1; i <= ng; i++) {
            if (h[i] > h[mode]) mode = i;
            double p = h[i] / n;
            if (p > 0) entropy -= p * Math.log(p) / Math.log(2);
            uniformity += p * p;
        }
        // Histogram gradient: one-sided at the ends, central in between (IBSI 3.4.20).
        double maxGrad = Double.NEGATIVE_INFINITY, minGrad = Double.POSITIVE_INFINITY;
        int maxAt = 1, minAt = 1;
        for (int i = 1; i <= ng; i++) {
            double g;
            if (ng == 1) g = 0;
            else if (i == 1) g = h[2] - h[1];
            else if (i == ng) g = h[ng] - h[ng - 1];
            else g = (h[i + 1] - h[i - 1]) / 2.0;
            if (g > maxGrad) { maxGrad = g; maxAt = i; }
            if (g < minGrad) { minGrad = g; minAt = i; }
        }
        double[] v = {
            s.mean, s.m2, s.skewness(), s.kurtosis(), s.percentile(50), s.sorted[0], s.percentile(10),
            s.percentile(90), s.sorted[n - 1], mode, s.percentile(75) - s.percentile(25),
            s.sorted[n - 1] - s.sorted[0], s.meanAbsoluteDeviation(), s.robustMeanAbsoluteDeviation(),
            s.medianAbsoluteDeviation(), Math.sqrt(s.m2) / s.mean, s.quartileCoefficientOfDispersion(),
            entropy, uniformity, maxGrad, maxAt, minGrad, minAt};
        for (int k = 0; k < DEFS.length; k++) {
            out.add(DEFS[k][0], DEFS[k][1], Aggregation.FEATURE_3D, v[k]);
        }
        return out;
    }
}
