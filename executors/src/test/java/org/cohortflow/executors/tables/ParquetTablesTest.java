package org.cohortflow.executors.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.InvalidFileException;
import org.cohortflow.dsl.types.Tabular;
import org.cohortflow.dsl.types.TypeRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetTablesTest {

    private static final List<Tabular.Column> COLUMNS = List.of(new Tabular.Column("sample", Tabular.ColumnType.STRING),
            new Tabular.Column("value", Tabular.ColumnType.DOUBLE), new Tabular.Column("count", Tabular.ColumnType.LONG),
            new Tabular.Column("reason", Tabular.ColumnType.STRING));

    private static final ParquetTables.Table TABLE = new ParquetTables.Table(COLUMNS, List.of(
            Arrays.asList("a", 1.5, 3L, null),
            Arrays.asList("b, \"quoted\"", null, 0L, "undefined: one voxel"),
            Arrays.asList("c", -0.0, Long.MAX_VALUE, null),
            Arrays.asList("é", 1e-300, -1L, null)));

    @Test
    void theParquetWriteToolWritesATableThatSparkReadsBackWithItsNulls(@TempDir Path dir) throws Exception {
        TableTools.ParquetFile out = (TableTools.ParquetFile) new InMemoryToolContext(TableTools.PARQUET_WRITE,
                Map.of("table", List.of(TABLE)), dir, "all").run().get("parquet").get(0);
        Path file = Path.of(out.uri());
        assertTrue(file.getFileName().toString().endsWith(".parquet"));

        assertEquals(TABLE, ParquetTables.read(file));

        SparkSession spark = SparkSession.builder().master("local[1]").appName("parquet-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            Dataset<Row> df = spark.read().parquet(file.toString());
            assertEquals(List.of("sample", "value", "count", "reason"), Arrays.asList(df.columns()));
            List<Row> rows = df.collectAsList();
            assertEquals(TABLE.rowCount(), rows.size());
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < COLUMNS.size(); c++) {
                    assertEquals(TABLE.value(r, c), rows.get(r).isNullAt(c) ? null : rows.get(r).get(c), "row " + r + " column " + c);
                }
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void aTruncatedParquetFileIsRejectedByItsType(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.parquet");
        ParquetTables.write(TABLE, file);
        FileType type = (FileType) TypeRegistry.load().find("ParquetFile").orElseThrow();
        type.validate(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
        InvalidFileException e = assertThrows(InvalidFileException.class, () -> type.validate(file));
        assertTrue(e.getMessage().contains("not a Parquet file"), e.getMessage());
    }
}
