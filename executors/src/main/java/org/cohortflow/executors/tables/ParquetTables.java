package org.cohortflow.executors.tables;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.cohortflow.dsl.types.Tabular;

/**
 * Any {@link Tabular} as an Apache Parquet file, with parquet-hadoop (which Spark brings) and its
 * example {@link Group} model: every column optional (null where a row has no value), strings as
 * UTF-8, doubles and longs as themselves, one row group, Snappy compression (Spark's default). Spark,
 * pandas/pyarrow and DuckDB read the result.
 *
 * <p>The same table always gives the same bytes, in any JVM: parquet-mr collects each column chunk's
 * encodings in a {@code HashSet} of enum constants, whose iteration order follows identity hash codes
 * and so changes from one JVM to the next; {@link #write} puts those lists into a fixed order after
 * writing (see {@link #canonicaliseFooter}). Nothing else in the footer depends on the run: no
 * timestamps, {@code created_by} names only the parquet-mr version.
 */
public final class ParquetTables {
    private ParquetTables() {}

    /** A table read back from Parquet. */
    public record Table(List<Column> columns, List<List<Object>> rows) implements Tabular {
        public Table {
            columns = List.copyOf(columns);
            rows = Collections.unmodifiableList(new ArrayList<>(rows));
        }

        @Override
        public int rowCount() {
            return rows.size();
        }

        @Override
        public Object value(int row, int column) {
            return rows.get(row).get(column);
        }
    }

    /** The Parquet schema of a table's columns. */
    public static MessageType schema(List<Tabular.Column> columns) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (Tabular.Column c : columns) {
            switch (c.type()) {
                case STRING -> b.optional(PrimitiveType.PrimitiveTypeName.BINARY)
                        .as(LogicalTypeAnnotation.stringType()).named(c.name());
                case DOUBLE -> b.optional(PrimitiveType.PrimitiveTypeName.DOUBLE).named(c.name());
                case LONG -> b.optional(PrimitiveType.PrimitiveTypeName.INT64).named(c.name());
            }
        }
        return b.named("table");
    }

    /** Writes {@code table} to a new local file (replacing one that is there). */
    public static void write(Tabular table, Path file) throws IOException {
        List<Tabular.Column> columns = table.columns();
        MessageType schema = schema(columns);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        Files.deleteIfExists(file);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY).withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (int r = 0; r < table.rowCount(); r++) {
                Group g = groups.newGroup();
                for (int c = 0; c < columns.size(); c++) {
                    Object v = table.value(r, c);
                    if (v == null) {
                        continue;
                    }
                    switch (columns.get(c).type()) {
                        case STRING -> g.append(columns.get(c).name(), (String) v);
                        case DOUBLE -> g.append(columns.get(c).name(), ((Number) v).doubleValue());
                        case LONG -> g.append(columns.get(c).name(), ((Number) v).longValue());
                    }
                }
                w.write(g);
            }
        }
        canonicaliseFooter(file);
    }

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    /**
     * Rewrites the footer of a finished Parquet file with every column chunk's encoding list (and its
     * page encoding statistics) sorted by the encodings' numbers in the Parquet format. Readers treat
     * these lists as sets, so the file means the same; only its bytes no longer depend on hash codes.
     * The data pages are left untouched: only the Thrift footer, its length and the closing magic are
     * written again.
     */
    static void canonicaliseFooter(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, tail, size - 8);
            int length = tail.getInt(0);
            if (!Arrays.equals(Arrays.copyOfRange(tail.array(), 4, 8), MAGIC) || length <= 0 || length > size - 12) {
                throw new IOException(file + ": not a Parquet file as parquet-mr writes it (no footer before PAR1)");
            }
            long start = size - 8 - length;
            ByteBuffer footer = ByteBuffer.allocate(length);
            readFully(ch, footer, start);
            FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
            for (RowGroup group : meta.getRow_groups()) {
                for (ColumnChunk chunk : group.getColumns()) {
                    ColumnMetaData m = chunk.getMeta_data();
                    if (m == null) {
                        continue;
                    }
                    if (m.isSetEncodings()) {
                        m.setEncodings(m.getEncodings().stream().sorted(Comparator.comparingInt(Encoding::getValue)).toList());
                    }
                    if (m.isSetEncoding_stats()) {
                        m.setEncoding_stats(m.getEncoding_stats().stream()
                                .sorted(Comparator.comparingInt((PageEncodingStats e) -> e.getPage_type().getValue())
                                        .thenComparingInt(e -> e.getEncoding().getValue()))
                                .toList());
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(length);
            Util.writeFileMetaData(meta, out);
            ByteBuffer rewritten = ByteBuffer.allocate(out.size() + 8).order(ByteOrder.LITTLE_ENDIAN);
            rewritten.put(out.toByteArray()).putInt(out.size()).put(MAGIC).flip();
            ch.truncate(start);
            while (rewritten.hasRemaining()) {
                ch.write(rewritten, start + rewritten.position());
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (ch.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
    }

    /** Reads a Parquet file of flat string, double and long columns (as written by {@link #write}). */
    public static Table read(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            List<Tabular.Column> columns = new ArrayList<>();
            for (Type t : schema.getFields()) {
                PrimitiveType p = t.asPrimitiveType();
                Tabular.ColumnType type = switch (p.getPrimitiveTypeName()) {
                    case BINARY -> Tabular.ColumnType.STRING;
                    case DOUBLE -> Tabular.ColumnType.DOUBLE;
                    case INT64 -> Tabular.ColumnType.LONG;
                    default -> throw new IOException(file + ": column " + t.getName() + " is "
                            + p.getPrimitiveTypeName() + ", not a string, double or long");
                };
                columns.add(new Tabular.Column(t.getName(), type));
            }
            List<List<Object>> rows = new ArrayList<>();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    Group g = records.read();
                    Object[] row = new Object[columns.size()];
                    for (int c = 0; c < row.length; c++) {
                        if (g.getFieldRepetitionCount(c) == 0) {
                            continue;
                        }
                        row[c] = switch (columns.get(c).type()) {
                            case STRING -> g.getString(c, 0);
                            case DOUBLE -> g.getDouble(c, 0);
                            case LONG -> g.getLong(c, 0);
                        };
                    }
                    rows.add(Arrays.asList(row));
                }
            }
            return new Table(columns, rows);
        }
    }
}
