package org.cohortflow.biomarkers.table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.feature.FeatureFamily;

/**
 * Reads a feature table written by {@link CsvFeatureWriter}, so tables can be stored between pipeline
 * steps and merged into cohort tables. Errors name the file and line.
 */
public final class CsvFeatureReader {
    private CsvFeatureReader() {}

    public static FeatureTable read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(CsvFeatureWriter.HEADER)) {
            throw new IOException(file + ":1: not a feature table (expected header " + CsvFeatureWriter.HEADER + ")");
        }
        FeatureTable table = new FeatureTable();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            List<String> c = split(lines.get(i));
            if (c.size() != 8) {
                throw new IOException(file + ":" + (i + 1) + ": expected 8 columns, found " + c.size());
            }
            try {
                FeatureFamily family = family(c.get(2));
                double value = c.get(6).equals("NaN") ? Double.NaN : Double.parseDouble(c.get(6));
                table.add(c.get(0), c.get(1), List.of(new Feature(family, c.get(3), c.get(4), aggregation(family, c.get(5)),
                        value, c.get(7).isEmpty() ? null : c.get(7))));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
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

    /** Splits one RFC 4180 line (quotes doubled inside quoted fields). */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
