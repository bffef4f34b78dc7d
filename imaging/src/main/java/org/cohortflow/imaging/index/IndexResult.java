package org.cohortflow.imaging.index;

import org.cohortflow.dsl.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.cohortflow.dsl.csv.CsvFile;
import org.cohortflow.dsl.types.Tabular;

/**
 * What {@link DicomIndexer} found: one row per readable DICOM file and one failure per unreadable file,
 * both sorted by path, with CSV writers for both and grouping into {@link SeriesSample}s.
 */
public record IndexResult(List<IndexRow> rows, List<IndexFailure> failures) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The index CSV header, in column order. */
    public static final String INDEX_HEADER = "path,patient_id,study_uid,series_uid,sop_uid,modality,rows,columns,series_description";

    /** The failures CSV header. */
    public static final String FAILURES_HEADER = "path,error";

    public IndexResult {
        rows = List.copyOf(rows);
        failures = List.copyOf(failures);
    }

    /** The parts of one index (e.g. slices of a tree indexed by different machines) as one, sorted by location. */
    public static IndexResult merge(Collection<IndexResult> parts) {
        List<IndexRow> rows = new ArrayList<>();
        List<IndexFailure> failures = new ArrayList<>();
        for (IndexResult p : parts) {
            rows.addAll(p.rows());
            failures.addAll(p.failures());
        }
        rows.sort(Comparator.comparing(IndexRow::location));
        failures.sort(Comparator.comparing(IndexFailure::location));
        return new IndexResult(rows, failures);
    }

    /** Writes the index CSV (RFC 4180 quoting, UTF-8, {@code \n} line ends). */
    public void writeCsv(Path indexCsv) {
        write(indexCsv, this::writeCsv);
    }

    /** Writes the failures CSV ({@code path,error}); written (header only) even when there are none. */
    public void writeFailuresCsv(Path failuresCsv) {
        write(failuresCsv, this::writeFailuresCsv);
    }

    /** Writes the index CSV to {@code out}. */
    public void writeCsv(Writer out) throws IOException {
        out.write(INDEX_HEADER + "\n");
        Tabular t = table();
        String[] fields = new String[t.columns().size()];
        for (int r = 0; r < t.rowCount(); r++) {
            for (int c = 0; c < fields.length; c++) {
                Object v = t.value(r, c);
                fields[c] = v == null ? "" : v.toString();
            }
            out.write(CsvFile.line(Arrays.asList(fields)));
        }
    }

    /** Writes the failures CSV to {@code out}. */
    public void writeFailuresCsv(Writer out) throws IOException {
        out.write(FAILURES_HEADER + "\n");
        for (IndexFailure f : failures) out.write(CsvFile.line(Arrays.asList(f.location(), f.error())));
    }

    /**
     * The index as a table with the CSV's columns ({@code rows} and {@code columns} as numbers, null for
     * objects without pixels), for writers of other formats such as Parquet.
     */
    public Tabular table() {
        List<Tabular.Column> columns = new ArrayList<>();
        for (String name : INDEX_HEADER.split(",")) {
            boolean number = name.equals("rows") || name.equals("columns");
            columns.add(new Tabular.Column(name, number ? Tabular.ColumnType.LONG : Tabular.ColumnType.STRING));
        }
        List<Tabular.Column> cols = List.copyOf(columns);
        return new Tabular() {
            @Override
            public List<Column> columns() {
                return cols;
            }

            @Override
            public int rowCount() {
                return rows.size();
            }

            @Override
            public Object value(int row, int column) {
                IndexRow r = rows.get(row);
                return switch (column) {
                    case 0 -> r.location();
                    case 1 -> r.patientId();
                    case 2 -> r.studyUid();
                    case 3 -> r.seriesUid();
                    case 4 -> r.sopUid();
                    case 5 -> r.modality();
                    case 6 -> r.rows() == null ? null : Long.valueOf(r.rows());
                    case 7 -> r.columns() == null ? null : Long.valueOf(r.columns());
                    case 8 -> r.seriesDescription();
                    default -> throw new IndexOutOfBoundsException("column " + column);
                };
            }
        };
    }

    /** All series as samples, sorted by id. Files without a SeriesInstanceUID are left out. */
    public List<SeriesSample> samples() {
        return samples(s -> true);
    }

    /** The series that pass {@code filter}, sorted by id. */
    public List<SeriesSample> samples(Predicate<SeriesSample> filter) {
        Map<String, List<IndexRow>> bySeries = new LinkedHashMap<>();
        for (IndexRow r : rows) {
            if (r.seriesUid().isEmpty()) continue;
            bySeries.computeIfAbsent(r.patientId() + "\0" + r.studyUid() + "\0" + r.seriesUid(), k -> new ArrayList<>()).add(r);
        }
        List<SeriesSample> out = new ArrayList<>();
        for (List<IndexRow> group : bySeries.values()) {
            IndexRow first = group.get(0);
            SeriesSample s = new SeriesSample(first.patientId(), first.studyUid(), first.seriesUid(), first.modality(),
                    first.seriesDescription(), group.stream().map(IndexRow::file).sorted().toList());
            if (filter.test(s)) out.add(s);
        }
        out.sort(Comparator.comparing(SeriesSample::id));
        return out;
    }

    @FunctionalInterface
    private interface CsvBody {
        void write(Writer w) throws IOException;
    }

    private static void write(Path file, CsvBody body) {
        try {
            AtomicFile.writeText(file, body::write);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
