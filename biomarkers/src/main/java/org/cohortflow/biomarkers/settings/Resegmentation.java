package org.cohortflow.biomarkers.settings;

/**
 * Re-segmentation of the intensity mask (IBSI 2.5): keep voxels within {@code [lower, upper]} and,
 * when {@code outlierSigma} is set, within mean ± {@code outlierSigma} standard deviations.
 *
 * @param lower        lower bound, {@code -Infinity} for none
 * @param upper        upper bound, {@code +Infinity} for none
 * @param outlierSigma outlier filter width in standard deviations, {@code NaN} for none
 */
public record Resegmentation(double lower, double upper, double outlierSigma) {

    public Resegmentation {
        if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
            throw new IllegalArgumentException("resegmentation.range must be [lo, hi] with lo <= hi, got ["
                    + lower + ", " + upper + "]");
        }
        if (!Double.isNaN(outlierSigma) && !(outlierSigma > 0)) {
            throw new IllegalArgumentException("resegmentation.outlier_sigma must be positive, got " + outlierSigma);
        }
    }

    /** @return no re-segmentation */
    public static Resegmentation none() {
        return new Resegmentation(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN);
    }

    /** @return true when a range bound is set */
    public boolean hasRange() {
        return lower != Double.NEGATIVE_INFINITY || upper != Double.POSITIVE_INFINITY;
    }
}
