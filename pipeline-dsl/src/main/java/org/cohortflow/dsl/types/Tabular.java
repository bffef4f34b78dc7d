package org.cohortflow.dsl.types;

import java.util.List;
import java.util.Objects;

/**
 * An in-memory table with named, typed columns. A module's own table type (e.g. the biomarkers'
 * feature table) implements it and joins the {@code Table} type group, so that generic table tools of
 * other modules (such as the executors' Parquet writer) can take it without depending on that module.
 */
public interface Tabular {

    /** The value type of a column. */
    enum ColumnType {
        /** {@link String} values. */
        STRING,
        /** {@link Double} values. */
        DOUBLE,
        /** {@link Long} values. */
        LONG
    }

    /**
     * One column.
     *
     * @param name unique within the table
     * @param type the Java type of its non-null values
     */
    record Column(String name, ColumnType type) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /** The columns, in order. */
    List<Column> columns();

    /** The number of rows. */
    int rowCount();

    /**
     * The value in a row and column: a {@link String}, {@link Double} or {@link Long} as the column's
     * type says, or {@code null} when the row has no value there.
     */
    Object value(int row, int column);
}
