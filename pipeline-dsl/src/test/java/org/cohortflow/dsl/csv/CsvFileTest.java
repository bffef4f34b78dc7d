package org.cohortflow.dsl.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileTest {

    @Test
    void quotedFieldsWithCommasQuotesAndNewlinesReadBackAndKeepTheirLineNumbers() throws Exception {
        String text = "a,b\n" + CsvFile.quote("x,y") + "," + CsvFile.quote("say \"hi\"") + "\n\n"
                + CsvFile.quote("two\nlines") + ",\n" + "last,1\n";
        List<CsvFile.Row> rows = CsvFile.read(new StringReader(text));
        assertEquals(List.of("a", "b"), rows.get(0).cells());
        assertEquals(List.of("x,y", "say \"hi\""), rows.get(1).cells());
        assertEquals(List.of("two\nlines", ""), rows.get(2).cells());
        assertEquals(4, rows.get(2).line());
        assertEquals(6, rows.get(3).line());
        assertEquals(4, rows.size());
    }

    @Test
    void fieldsWithSurroundingWhiteSpaceAreQuotedAndNullIsEmpty() {
        assertEquals("\" CT \"", CsvFile.quote(" CT "));
        assertEquals("CT", CsvFile.quote("CT"));
        assertEquals("", CsvFile.quote(null));
    }

    @Test
    void aSheetInWindows1252IsRefusedNamingTheFileLineColumnAndEncoding(@TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("samples.csv");
        Files.write(sheet, "sample_id,ct\nS1,/data/s1\nS2,/data/b\u00e9b\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        IOException e = assertThrows(IOException.class, () -> CsvFile.read(sheet));
        assertEquals(sheet + ":3:11: the file is not UTF-8: byte 0xE9 cannot be read as UTF-8 (line 3, column 11); the file"
                + " looks like Windows-1252 or ISO-8859-1, where this byte is '\u00e9'; save it as UTF-8, e.g. iconv -f"
                + " WINDOWS-1252 -t UTF-8", e.getMessage());
    }

    @Test
    void theByteOrderMarkThatExcelWritesIsNotPartOfTheFirstHeader(@TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("excel.csv");
        Files.write(sheet, "\uFEFFsample_id,ct\nS1,/data/s1\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("sample_id", "ct"), CsvFile.read(sheet).get(0).cells());
    }
}
