package org.cohortflow.dsl.yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cohortflow.dsl.io.Utf8;

/**
 * The text of a definition file (a network, a command-line tool, biomarker settings), refused before any
 * YAML parsing when it cannot be one: larger than {@value #MAX_BYTES} bytes, a line longer than
 * {@value #MAX_LINE} characters, or not UTF-8.
 *
 * <p>Why limits: SnakeYAML (under Jackson's YAML parser) needs time quadratic in the length of a single
 * scalar or comment, so a 10 MB file took about a minute to be read or refused. Hand-written networks and
 * tools are a few kilobytes; the limits leave them a thousand times that and make every refusal
 * instant, because they are checked on the file size and one pass over the text.
 */
public final class DefinitionText {
    /** The largest definition file, in bytes (1 MiB). */
    public static final int MAX_BYTES = 1 << 20;
    /** The longest line, in characters (64 Ki). */
    public static final int MAX_LINE = 1 << 16;

    private DefinitionText() {}

    /**
     * Reads a file as UTF-8 text (a leading byte order mark is dropped). Every refusal is an
     * {@link InvalidDefinitionException} naming the file, and the line and column where it can.
     */
    public static String read(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw tooLarge(source, size);
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidDefinitionException(new Problem(Location.described(source),
                    "cannot read file: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(source, bytes.length);
        }
        String text = decode(bytes, source);
        check(text, source);
        return text;
    }

    /** Checks text that did not come from a file (or came from one elsewhere) against the same limits. */
    public static void check(String text, String source) {
        if (text.length() > MAX_BYTES) {
            throw tooLarge(source, text.length());
        }
        int line = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i - start > MAX_LINE) {
                    throw new InvalidDefinitionException(new Problem(new Location(source, line, MAX_LINE + 1),
                            "line " + line + " is " + (i - start) + " characters long; definition files allow at most "
                                    + MAX_LINE + " per line"));
                }
                line++;
                start = i + 1;
            }
        }
    }

    private static InvalidDefinitionException tooLarge(String source, long size) {
        return new InvalidDefinitionException(new Problem(new Location(source, 1, 1), "the file is " + size
                + " bytes; network, tool and settings files are limited to " + MAX_BYTES + " bytes (1 MiB). Sample"
                + " lists belong in a sample sheet (--samples), not in the network"));
    }

    /** Strict UTF-8 (see {@link Utf8}), its refusal located in the file. */
    private static String decode(byte[] bytes, String source) {
        try {
            return Utf8.decode(bytes, source);
        } catch (Utf8.NotUtf8Exception e) {
            throw new InvalidDefinitionException(new Problem(new Location(source, e.line(), e.column()), e.reason()));
        }
    }
}
