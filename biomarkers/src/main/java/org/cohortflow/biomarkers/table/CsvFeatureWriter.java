package org.cohortflow.biomarkers.table;

import org.cohortflow.dsl.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import org.cohortflow.biomarkers.feature.Feature;

/**
 * Writes a {@link FeatureTable} as RFC 4180 CSV with the columns
 * {@code sample,roi,family,feature,ibsi_code,aggregation,value,reason}. Values are printed with full
 * double precision; undefined values are {@code NaN} with the reason in the last column, which is
 * empty for defined values.
 */
public final class CsvFeatureWriter {
    /** The header line. */
    public static final String HEADER = "sample,roi,family,feature,ibsi_code,aggregation,value,reason";

    private CsvFeatureWriter() {
    }

    /** Writes to a file atomically (temporary file, then rename), so readers never see half a table. */
    public static void write(FeatureTable table, Path file) {
        try {
            AtomicFile.writeText(file, w -> write(table, w));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write feature table " + file, e);
        }
    }

    /** Writes to an open writer (not closed). */
    public static void write(FeatureTable table, Writer out) throws IOException {
        out.write(HEADER);
        out.write('\n');
        for (FeatureRow r : table.rows()) {
            Feature f = r.feature();
            out.write(String.join(",", quote(r.sample()), quote(r.roi()), quote(f.family().shortName()),
                    quote(f.name()), quote(f.ibsiCode()), quote(f.aggregation().label()),
                    f.isDefined() ? Double.toString(f.value()) : "NaN",
                    quote(f.reason() == null ? "" : f.reason())));
            out.write('\n');
        }
    }

    static String quote(String s) {
        return org.cohortflow.dsl.csv.CsvFile.quote(s);
    }
}
