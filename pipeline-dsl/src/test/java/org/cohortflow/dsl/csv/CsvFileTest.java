package org.cohortflow.dsl.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
