package org.cohortflow.dsl.yaml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

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

    /** Strict UTF-8; the first byte that is not UTF-8 is reported with its line, column and a guess at the encoding. */
    private static String decode(byte[] bytes, String source) {
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            throw new InvalidDefinitionException(new Problem(new Location(source, 1, 1), "the file is UTF-16 (it starts"
                    + " with a UTF-16 byte order mark), not UTF-8; save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8"));
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isUnderflow()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            throw notUtf8(bytes, in.position(), source);
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static InvalidDefinitionException notUtf8(byte[] bytes, int at, String source) {
        int lineStart = 0;
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        // The line up to the bad byte is valid UTF-8, so its characters give the column.
        int column = new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8).length() + 1;
        int b = bytes[at] & 0xFF;
        String guess;
        if (zeros(bytes) > bytes.length / 8) {
            guess = "the file looks like UTF-16 or UTF-32 (it has many zero bytes); save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8";
        } else {
            String latin = new String(new byte[] {(byte) b}, java.nio.charset.Charset.forName("windows-1252"));
            guess = "the file looks like Windows-1252 or ISO-8859-1, where this byte is '" + latin
                    + "'; save it as UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8";
        }
        return new InvalidDefinitionException(new Problem(new Location(source, line, column), "the file is not UTF-8:"
                + " byte 0x" + String.format(Locale.ROOT, "%02X", b) + " cannot be read as UTF-8 (line " + line
                + ", column " + column + "); " + guess));
    }

    private static int zeros(byte[] bytes) {
        int n = 0;
        for (byte b : bytes) {
            if (b == 0) {
                n++;
            }
        }
        return n;
    }
}
