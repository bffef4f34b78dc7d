package org.cohortflow.biomarkers.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cohortflow.biomarkers.feature.Feature;

/**
 * Features of many samples and ROIs in long format: one row per sample, ROI, feature and
 * aggregation. Parquet output belongs with the executors' storage layer and is not here yet; CSV is
 * written by {@link CsvFeatureWriter}.
 */
public final class FeatureTable {
    private final List<FeatureRow> rows = new ArrayList<>();

    /** Adds all features of one sample and ROI. */
    public FeatureTable add(String sample, String roi, List<Feature> features) {
        for (Feature f : features) rows.add(new FeatureRow(sample, roi, f));
        return this;
    }

    /** @return the rows in insertion order */
    public List<FeatureRow> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** @return number of rows */
    public int size() {
        return rows.size();
    }
}
