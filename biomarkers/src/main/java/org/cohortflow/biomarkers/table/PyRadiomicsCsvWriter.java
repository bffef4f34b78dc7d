package org.cohortflow.biomarkers.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.settings.PyRadiomicsFeatures;
import org.cohortflow.biomarkers.settings.PyRadiomicsParams;
import org.cohortflow.dsl.io.AtomicFile;

/**
 * Writes a {@link FeatureTable} computed with a PyRadiomics parameter file wide, with PyRadiomics' column names
 * ({@code original_firstorder_Mean}, {@code log-sigma-3-0-mm-3D_glcm_Contrast}, {@code wavelet-LLH_glszm_ZoneEntropy}):
 * one row per sample and ROI, one column per image type, feature class and feature the file asks for that has an
 * IBSI counterpart ({@link PyRadiomicsFeatures}), in PyRadiomics' order. Each value is ours at the aggregation
 * PyRadiomics' corresponds to ({@link PyRadiomicsFeatures#aggregation}); kurtosis is given as PyRadiomics defines it
 * (IBSI's excess kurtosis plus 3). A feature the table lacks, or an undefined one, is {@code NaN}.
 */
public final class PyRadiomicsCsvWriter {
    private PyRadiomicsCsvWriter() {
    }

    /** The column names for {@code params}, in order, each with the feature it reads. */
    public static Map<String, PyRadiomicsFeatures.Entry> columns(PyRadiomicsParams params) {
        Map<String, PyRadiomicsFeatures.Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> type : params.imageTypes().entrySet()) {
            for (Map.Entry<String, List<String>> c : params.featureClasses().entrySet()) {
                if (!type.getKey().isEmpty() && c.getKey().equals("shape")) continue; // PyRadiomics: shape only of the original
                for (PyRadiomicsFeatures.Entry e : PyRadiomicsFeatures.all()) {
                    if (!e.featureClass().equals(c.getKey()) || e.ibsiCode() == null) continue;
                    if (c.getValue().isEmpty() ? e.byDefault() : c.getValue().contains(e.name())) {
                        out.put(type.getValue() + "_" + c.getKey() + "_" + e.name(), e);
                    }
                }
            }
        }
        return out;
    }

    /** Writes to a file atomically. */
    public static void write(FeatureTable table, PyRadiomicsParams params, Path file) {
        try {
            AtomicFile.writeText(file, w -> write(table, params, w));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write feature table " + file, e);
        }
    }

    /** Writes to an open writer (not closed). */
    public static void write(FeatureTable table, PyRadiomicsParams params, Writer out) throws IOException {
        // Our key of each column: filter name (empty for the original image), family, code, aggregation.
        Map<String, String> columnOfKey = new HashMap<>();
        Map<String, PyRadiomicsFeatures.Entry> columns = columns(params);
        Map<String, String> filterOfType = new HashMap<>();
        params.imageTypes().forEach((filter, type) -> filterOfType.put(type, filter));
        for (Map.Entry<String, PyRadiomicsFeatures.Entry> c : columns.entrySet()) {
            String type = c.getKey().substring(0, c.getKey().indexOf('_'));
            PyRadiomicsFeatures.Entry e = c.getValue();
            columnOfKey.put(key(filterOfType.get(type), e.family().shortName(), e.ibsiCode(),
                    PyRadiomicsFeatures.aggregation(e, params.force2D()).code()), c.getKey());
        }
        Map<List<String>, Map<String, Double>> rows = new LinkedHashMap<>();
        for (FeatureRow r : table.rows()) {
            Feature f = r.feature();
            int slash = f.name().indexOf('/');
            String filter = slash < 0 ? "" : f.name().substring(0, slash);
            String column = columnOfKey.get(key(filter, f.family().shortName(), f.ibsiCode(), f.aggregation().code()));
            Map<String, Double> row = rows.computeIfAbsent(List.of(r.sample(), r.roi()), k -> new HashMap<>());
            if (column == null) continue;
            double v = f.value();
            if (columns.get(column).name().equals("Kurtosis")) v += 3; // PyRadiomics reports kurtosis, not its excess
            row.put(column, v);
        }
        WideCsvFeatureWriter.writeRows(out, columns.keySet(), rows);
    }

    private static String key(String filter, String family, String code, String aggregation) {
        return filter + "|" + family + "|" + code + "|" + aggregation;
    }
}
