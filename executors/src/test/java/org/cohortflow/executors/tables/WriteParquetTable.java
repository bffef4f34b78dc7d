package org.cohortflow.executors.tables;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cohortflow.dsl.types.Tabular;

/** Writes {@link #table()} as Parquet to the path given; run in JVMs of their own by {@link ParquetTablesTest}. */
public final class WriteParquetTable {
    private WriteParquetTable() {}

    /** A table with every column type, nulls, repeated strings (dictionary pages) and enough rows for several values per page. */
    static Tabular table() {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(Arrays.asList("subject-" + (i % 7), i % 3 == 0 ? null : i / 7.0, (long) i * i, i % 5 == 0 ? "undefined" : null));
        }
        return new ParquetTables.Table(List.of(new Tabular.Column("sample", Tabular.ColumnType.STRING),
                new Tabular.Column("value", Tabular.ColumnType.DOUBLE), new Tabular.Column("count", Tabular.ColumnType.LONG),
                new Tabular.Column("reason", Tabular.ColumnType.STRING)), rows);
    }

    public static void main(String[] args) throws Exception {
        ParquetTables.write(table(), Path.of(args[0]));
    }
}
