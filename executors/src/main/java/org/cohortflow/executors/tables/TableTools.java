package org.cohortflow.executors.tables;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.cohortflow.dsl.tool.InputPort;
import org.cohortflow.dsl.tool.OutputPort;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolProvider;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.DataTypeProvider;
import org.cohortflow.dsl.types.FileRef;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.InvalidFileException;
import org.cohortflow.dsl.types.Tabular;
import org.cohortflow.dsl.types.TypeRef;

/**
 * Table tools that need the storage libraries the executors already carry: {@code tables/ParquetWrite:1}
 * writes any {@code Table} (such as a cohort's feature table) as a {@code ParquetFile}. They live here
 * rather than beside the table types so that imaging and biomarkers stay free of Hadoop and Spark.
 */
public final class TableTools implements ToolProvider, DataTypeProvider {

    /** An Apache Parquet file. */
    public record ParquetFile(URI uri) implements FileRef {}

    public static final TypeRef<ParquetFile> PARQUET_FILE = TypeRef.of("ParquetFile", ParquetFile.class);

    public static final InputPort<Tabular> TABLE = InputPort.of("table", BuiltinTypes.TABLE)
            .describedAs("any table, e.g. a FeatureTable");
    public static final OutputPort<ParquetFile> PARQUET = OutputPort.of("parquet", PARQUET_FILE)
            .describedAs("the table as Parquet (optional columns; null where a row has no value)");

    /** {@code tables/ParquetWrite:1}. */
    public static final ToolDefinition PARQUET_WRITE = ToolDefinition.java("tables/ParquetWrite:1")
            .description("writes a table as an Apache Parquet file (readable by Spark, pandas, DuckDB)")
            .input(TABLE).output(PARQUET)
            .runs(ctx -> {
                Path out = ctx.workDir().resolve("table.parquet");
                ParquetTables.write(ctx.input(TABLE), out);
                ctx.output(PARQUET, new ParquetFile(out.toUri()));
            });

    private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

    @Override
    public List<ToolDefinition> tools() {
        return List.of(PARQUET_WRITE);
    }

    @Override
    public List<DataType> dataTypes() {
        return List.of(new FileType("ParquetFile", "an Apache Parquet file", Set.of("File"), ParquetFile.class,
                List.of(".parquet"), false, TableTools::validateParquet, ParquetFile::new));
    }

    /** Parquet files start and end with the magic bytes {@code PAR1}; checking both catches truncation. */
    private static void validateParquet(Path p) throws InvalidFileException {
        try {
            long size = Files.size(p);
            if (size < 12) {
                throw new InvalidFileException(p, "is too short for a Parquet file (" + size + " bytes)");
            }
            byte[] head;
            byte[] tail;
            try (InputStream in = Files.newInputStream(p)) {
                head = in.readNBytes(4);
                in.skipNBytes(size - 8);
                tail = in.readNBytes(4);
            }
            if (!Arrays.equals(head, MAGIC) || !Arrays.equals(tail, MAGIC)) {
                throw new InvalidFileException(p, "is not a Parquet file (no PAR1 at its start and end)");
            }
        } catch (IOException e) {
            throw new InvalidFileException(p, "cannot be read: " + e.getMessage());
        }
    }
}
