package org.cohortflow.biomarkers.feature;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects the features of one family and aggregation; turns non-finite values into {@code NaN}
 * with a reason so that one undefined feature never hides the others.
 */
public final class FeatureList {
    private final FeatureFamily family;
    private final List<Feature> features = new ArrayList<>();

    /** @param family the family all added features belong to */
    public FeatureList(FeatureFamily family) {
        this.family = family;
    }

    /** Adds a value; infinite or NaN values are recorded as NaN with a generic reason. */
    public FeatureList add(FeatureDefinition definition, Aggregation aggregation, double value) {
        return add(definition.name(), definition.ibsiCode(), aggregation, value);
    }

    /**
     * Adds a defined value with a note on how it was obtained (e.g. slices left out of a 2D average), or
     * {@code null}; infinite or NaN values are recorded as NaN with a generic reason.
     */
    public FeatureList add(FeatureDefinition definition, Aggregation aggregation, double value, String note) {
        if (note == null || !Double.isFinite(value)) return add(definition, aggregation, value);
        features.add(new Feature(family, definition.name(), definition.ibsiCode(), aggregation, value, note));
        return this;
    }

    /** Adds a value; infinite or NaN values are recorded as NaN with a generic reason. */
    public FeatureList add(String name, String code, Aggregation aggregation, double value) {
        if (Double.isFinite(value)) {
            features.add(new Feature(family, name, code, aggregation, value, null));
        } else {
            features.add(new Feature(family, name, code, aggregation, Double.NaN,
                    "not a finite number for this ROI (division by zero or empty input)"));
        }
        return this;
    }

    /** Records a feature that cannot be computed for this ROI. */
    public FeatureList undefined(FeatureDefinition definition, Aggregation aggregation, String reason) {
        features.add(new Feature(family, definition.name(), definition.ibsiCode(), aggregation, Double.NaN, reason));
        return this;
    }

    /** @return the collected features in insertion order */
    public List<Feature> features() {
        return Collections.unmodifiableList(features);
    }
}
