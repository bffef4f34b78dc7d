package org.cohortflow.biomarkers.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.dsl.io.AtomicFile;

/**
 * Writes a {@link FeatureTable} wide, for data scientists who load it into pandas or R: one row per sample
 * and ROI, one column per feature and aggregation. Columns are named from IBSI codes,
 * {@code family_FEATURECODE_AGGREGATIONCODE} (e.g. {@code cm_NI2N_BTW3}, GLCM correlation averaged over 2D
 * slices and directions); IBSI gives the intensity-volume histogram's 10% and 90% variants one code, so their
 * columns end with the percentage ({@code ivh_BC2M_DHQ4_10}). Features of a filter's response map start with
 * the filter's name ({@code log_3D_s3mm_d4_mirror_stat_Q4LE_DHQ4}). Columns appear in the order features are first
 * met; an undefined value, or a feature a row does not have, is {@code NaN} (the long format keeps the
 * reasons).
 */
public final class WideCsvFeatureWriter {
    private static final Pattern PERCENT = Pattern.compile("(\\d+)%");

    private WideCsvFeatureWriter() {
    }

    /** The column name of a feature: family, IBSI feature code and aggregation code. */
    public static String columnName(Feature f) {
        // A response map's feature (IBSI 2) carries its filter before a slash: the filter leads the column.
        int slash = f.name().indexOf('/');
        String filter = slash < 0 ? "" : f.name().substring(0, slash) + "_";
        String base = filter + f.family().shortName() + "_" + f.ibsiCode() + "_" + f.aggregation().code();
        int bracket = f.name().indexOf('[');
        if (bracket >= 0) {
            // The bracketed parameter (IVH's "at 10% intensity") tells apart features sharing one code.
            Matcher m = PERCENT.matcher(f.name().substring(bracket));
            StringBuilder suffix = new StringBuilder();
            while (m.find()) suffix.append('_').append(m.group(1));
            return base + suffix;
        }
        return base;
    }

    /** Writes to a file atomically (temporary file, then rename). */
    public static void write(FeatureTable table, Path file) {
        try {
            AtomicFile.writeText(file, w -> write(table, w));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write feature table " + file, e);
        }
    }

    /** Writes to an open writer (not closed). */
    public static void write(FeatureTable table, Writer out) throws IOException {
        Map<String, Integer> columns = new LinkedHashMap<>();
        Map<List<String>, Map<String, Double>> rows = new LinkedHashMap<>();
        Map<String, String> firstFeature = new HashMap<>();
        for (FeatureRow r : table.rows()) {
            String column = columnName(r.feature());
            String described = r.feature().family().shortName() + " " + r.feature().name() + " [" + r.feature().aggregation().label() + "]";
            String before = firstFeature.putIfAbsent(column, described);
            if (before != null && !before.equals(described)) {
                throw new IllegalStateException("features '" + before + "' and '" + described + "' share column " + column);
            }
            columns.putIfAbsent(column, columns.size());
            Map<String, Double> row = rows.computeIfAbsent(List.of(r.sample(), r.roi()), k -> new HashMap<>());
            if (row.put(column, r.feature().value()) != null) {
                throw new IllegalArgumentException("sample '" + r.sample() + "', ROI '" + r.roi() + "' has " + described
                        + " twice; a wide table has one value per sample, ROI and feature");
            }
        }
        writeRows(out, columns.keySet(), rows);
    }

    /**
     * The header ({@code sample, roi} and the columns) and one line per (sample, ROI) key of {@code rows}, with
     * {@code NaN} where a row has no value for a column; shared with {@link PyRadiomicsCsvWriter}.
     */
    static void writeRows(Writer out, Collection<String> columns, Map<List<String>, Map<String, Double>> rows) throws IOException {
        List<String> header = new ArrayList<>(List.of("sample", "roi"));
        header.addAll(columns);
        out.write(String.join(",", header.stream().map(CsvFeatureWriter::quote).toList()));
        out.write('\n');
        for (Map.Entry<List<String>, Map<String, Double>> e : rows.entrySet()) {
            StringBuilder line = new StringBuilder();
            line.append(CsvFeatureWriter.quote(e.getKey().get(0))).append(',').append(CsvFeatureWriter.quote(e.getKey().get(1)));
            for (String column : columns) {
                Double v = e.getValue().get(column);
                line.append(',').append(v == null || v.isNaN() ? "NaN" : Double.toString(v));
            }
            out.write(line.toString());
            out.write('\n');
        }
    }
}
