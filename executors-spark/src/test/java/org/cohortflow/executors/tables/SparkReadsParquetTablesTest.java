package org.cohortflow.executors.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Parquet tables cohortflow writes without Spark ({@link ParquetTablesTest}) are what Spark reads. */
class SparkReadsParquetTablesTest {

    @Test
    void theParquetWriteToolWritesATableThatSparkReadsBackWithItsNulls(@TempDir Path dir) throws Exception {
        Path file = ParquetTablesTest.written(dir);
        SparkSession spark = SparkSession.builder().master("local[1]").appName("parquet-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            Dataset<Row> df = spark.read().parquet(file.toString());
            assertEquals(List.of("sample", "value", "count", "reason"), Arrays.asList(df.columns()));
            List<Row> rows = df.collectAsList();
            assertEquals(ParquetTablesTest.TABLE.rowCount(), rows.size());
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < ParquetTablesTest.COLUMNS.size(); c++) {
                    assertEquals(ParquetTablesTest.TABLE.value(r, c), rows.get(r).isNullAt(c) ? null : rows.get(r).get(c),
                            "row " + r + " column " + c);
                }
            }
        } finally {
            spark.stop();
        }
    }
}
