package org.cohortflow.dsl.csv;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cohortflow.dsl.io.Utf8;

/**
 * Reads RFC 4180 CSV (sample sheets, feature tables) into rows that remember their line number, so
 * errors can say {@code FILE:LINE}. Parsing is Jackson's; blank lines are skipped.
 */
public final class CsvFile {
    private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

    private CsvFile() {}

    /** One record and the line it starts on (1-based). */
    public record Row(int line, List<String> cells) {
        public Row {
            cells = List.copyOf(cells);
        }
    }

    /**
     * Reads a UTF-8 file (a leading byte order mark, as Excel writes, is dropped). A file in another
     * encoding fails with a {@link Utf8.NotUtf8Exception} naming the file, line, column and likely encoding.
     */
    public static List<Row> read(Path file) throws IOException {
        return read(new StringReader(Utf8.decode(Files.readAllBytes(file), file.toString())));
    }

    public static List<Row> read(Reader reader) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = MAPPER.readerForListOf(String.class).readValues(reader)) {
            while (it.hasNextValue()) {
                // Before the record is read, the parser's position is where the record starts.
                int line = it.getParser().currentLocation().getLineNr();
                rows.add(new Row(line, it.nextValue()));
            }
        }
        return rows;
    }

    /**
     * A field quoted for CSV when it needs to be: when it holds a comma, quote or line break, or starts or
     * ends with white space (which some readers trim). {@code null} is the empty field.
     */
    public static String quote(String field) {
        if (field == null) {
            return "";
        }
        boolean needed = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0 || (!field.isEmpty() && (Character.isWhitespace(field.charAt(0))
                || Character.isWhitespace(field.charAt(field.length() - 1))));
        return needed ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    /** One CSV record: the fields {@linkplain #quote quoted} where needed, joined by commas, ending in {@code \n}. */
    public static String line(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) b.append(',');
            b.append(quote(fields.get(i)));
        }
        return b.append('\n').toString();
    }
}
