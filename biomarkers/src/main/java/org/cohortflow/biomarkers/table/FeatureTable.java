package org.cohortflow.biomarkers.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.dsl.types.Tabular;

/**
 * Features of many samples and ROIs in long format: one row per sample, ROI, feature and
 * aggregation. CSV is written by {@link CsvFeatureWriter}, JSON by {@link JsonFeatureWriter}; as a
 * {@link Tabular} (the CSV's columns, {@code value} as a double that is {@code null} where undefined) it
 * is also written by generic table tools such as the executors' Parquet writer.
 */
public final class FeatureTable implements Tabular {
    private static final List<Column> COLUMNS = List.of(
            new Column("sample", ColumnType.STRING), new Column("roi", ColumnType.STRING),
            new Column("family", ColumnType.STRING), new Column("feature", ColumnType.STRING),
            new Column("ibsi_code", ColumnType.STRING), new Column("aggregation", ColumnType.STRING),
            new Column("value", ColumnType.DOUBLE), new Column("reason", ColumnType.STRING));

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

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public int rowCount() {
        return rows.size();
    }

    @Override
    public Object value(int row, int column) {
        FeatureRow r = rows.get(row);
        Feature f = r.feature();
        return switch (column) {
            case 0 -> r.sample();
            case 1 -> r.roi();
            case 2 -> f.family().shortName();
            case 3 -> f.name();
            case 4 -> f.ibsiCode();
            case 5 -> f.aggregation().label();
            case 6 -> f.isDefined() ? f.value() : null;
            case 7 -> f.reason();
            default -> throw new IndexOutOfBoundsException("column " + column + " of " + COLUMNS.size());
        };
    }
}
