package org.cohortflow.biomarkers.table;

import java.util.Objects;
import org.cohortflow.biomarkers.feature.Feature;

/**
 * One row of a feature table.
 *
 * @param sample  sample identifier
 * @param roi     ROI name
 * @param feature the feature value with its IBSI identity
 */
public record FeatureRow(String sample, String roi, Feature feature) {
    public FeatureRow {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(roi, "roi");
        Objects.requireNonNull(feature, "feature");
    }
}
