package org.cohortflow.biomarkers.table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.dsl.csv.CsvFile;
import org.cohortflow.biomarkers.feature.FeatureFamily;

/**
 * Reads a feature table written by {@link CsvFeatureWriter}, so tables can be stored between pipeline
 * steps and merged into cohort tables. Errors name the file and line.
 */
public final class CsvFeatureReader {
    private CsvFeatureReader() {}

    public static FeatureTable read(Path file) throws IOException {
        List<CsvFile.Row> rows = CsvFile.read(file);
        if (rows.isEmpty() || !String.join(",", rows.get(0).cells()).equals(CsvFeatureWriter.HEADER)) {
            throw new IOException(file + ":1: not a feature table (expected header " + CsvFeatureWriter.HEADER + ")");
        }
        FeatureTable table = new FeatureTable();
        for (CsvFile.Row row : rows.subList(1, rows.size())) {
            List<String> c = row.cells();
            if (c.size() != 8) {
                throw new IOException(file + ":" + row.line() + ": expected 8 columns, found " + c.size());
            }
            try {
                FeatureFamily family = family(c.get(2));
                double value = c.get(6).equals("NaN") ? Double.NaN : Double.parseDouble(c.get(6));
                table.add(c.get(0), c.get(1), List.of(new Feature(family, c.get(3), c.get(4), aggregation(family, c.get(5)),
                        value, c.get(7).isEmpty() ? null : c.get(7))));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + row.line() + ": " + e.getMessage(), e);
            }
        }
        return table;
    }

    private static FeatureFamily family(String shortName) {
        for (FeatureFamily f : FeatureFamily.values()) {
            if (f.shortName().equals(shortName)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown feature family '" + shortName + "'");
    }

    /** IBSI uses the label "3D" both for whole-volume features and for 3D texture matrices. */
    private static Aggregation aggregation(FeatureFamily family, String label) {
        boolean texture = family.ordinal() >= FeatureFamily.GLCM.ordinal();
        if (label.equals("3D")) {
            return texture ? Aggregation.VOLUME_3D : Aggregation.FEATURE_3D;
        }
        for (Aggregation a : Aggregation.values()) {
            if (a.label().equals(label)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown aggregation '" + label + "'");
    }
}
