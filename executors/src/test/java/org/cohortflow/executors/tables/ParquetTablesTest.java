package org.cohortflow.executors.tables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.InvalidFileException;
import org.cohortflow.dsl.types.Tabular;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.executors.testing.OtherJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetTablesTest {

    static final List<Tabular.Column> COLUMNS = List.of(new Tabular.Column("sample", Tabular.ColumnType.STRING),
            new Tabular.Column("value", Tabular.ColumnType.DOUBLE), new Tabular.Column("count", Tabular.ColumnType.LONG),
            new Tabular.Column("reason", Tabular.ColumnType.STRING));

    static final ParquetTables.Table TABLE = new ParquetTables.Table(COLUMNS, List.of(
            Arrays.asList("a", 1.5, 3L, null),
            Arrays.asList("b, \"quoted\"", null, 0L, "undefined: one voxel"),
            Arrays.asList("c", -0.0, Long.MAX_VALUE, null),
            Arrays.asList("é", 1e-300, -1L, null)));

    @Test
    void theParquetWriteToolWritesATableThatReadsBackWithItsNulls(@TempDir Path dir) throws Exception {
        assertEquals(TABLE, ParquetTables.read(written(dir)));
    }

    /** The Parquet file the {@code tables/ParquetWrite} tool writes for {@link #TABLE} (also read by Spark in executors-spark). */
    static Path written(Path dir) throws Exception {
        TableTools.ParquetFile out = (TableTools.ParquetFile) new InMemoryToolContext(TableTools.PARQUET_WRITE,
                Map.of("table", List.of(TABLE)), dir, "all").run().get("parquet").get(0);
        Path file = Path.of(out.uri());
        assertTrue(file.getFileName().toString().endsWith(".parquet"));
        return file;
    }

    @Test
    void theSameTableWrittenInOtherJvmsGivesTheSameBytes(@TempDir Path dir) throws Exception {
        Path here = dir.resolve("here.parquet");
        ParquetTables.write(WriteParquetTable.table(), here);
        byte[] expected = Files.readAllBytes(here);
        for (int shift : new int[] {1, 2}) {
            Path there = dir.resolve("jvm-" + shift + ".parquet");
            OtherJvm.run(WriteParquetTable.class, shift, dir.resolve("jvm-" + shift + ".log"), there.toString());
            assertArrayEquals(expected, Files.readAllBytes(there), "Parquet written by JVM " + shift);
        }
        assertEquals(WriteParquetTable.table().rowCount(), ParquetTables.read(here).rowCount());
    }

    @Test
    void theEncodingListsOfTheFooterAreInTheFormatsNumericOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.parquet");
        ParquetTables.write(WriteParquetTable.table(), file);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                for (ColumnChunkMetaData column : block.getColumns()) {
                    // Read back through parquet-mr, which keeps them in a set: only their number is checked here.
                    assertTrue(column.getEncodings().size() >= 2, column.getPath() + ": " + column.getEncodings());
                }
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        int length = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(bytes, bytes.length - 8 - length, length));
        for (ColumnChunk chunk : meta.getRow_groups().get(0).getColumns()) {
            List<Integer> numbers = chunk.getMeta_data().getEncodings().stream().map(e -> e.getValue()).toList();
            assertEquals(numbers.stream().sorted().toList(), numbers, chunk.getMeta_data().getPath_in_schema().toString());
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
