package org.cohortflow.biomarkers.feature;

import java.util.Objects;

/**
 * One computed feature value.
 *
 * @param family      the family it belongs to
 * @param name        IBSI feature name
 * @param ibsiCode    IBSI feature code
 * @param aggregation how it was aggregated
 * @param value       the value; {@code NaN} when undefined for this ROI
 * @param reason      why the value is {@code NaN}; for a defined value {@code null}, or a note on how it was
 *                    obtained (the slices and directions a 2D average left out because the feature is
 *                    undefined there)
 */
public record Feature(FeatureFamily family, String name, String ibsiCode, Aggregation aggregation,
                      double value, String reason) {

    public Feature {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(aggregation, "aggregation");
        if (Double.isNaN(value) && reason == null) {
            reason = "undefined for this ROI";
        }
    }

    /** @return true when the value is a number */
    public boolean isDefined() {
        return !Double.isNaN(value);
    }
}
