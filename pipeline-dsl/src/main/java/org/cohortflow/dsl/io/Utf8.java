package org.cohortflow.dsl.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Strict UTF-8 for the files users write (networks, tools, settings, sample sheets): text that is not
 * UTF-8 is refused with the line and column of its first bad byte and the encoding the file most likely
 * is, instead of Java's "Input length = 1". A leading UTF-8 byte order mark (Excel writes one) is dropped.
 */
public final class Utf8 {
    private Utf8() {}

    /** The bytes were not UTF-8; {@link #getMessage()} is {@code SOURCE:LINE:COL: reason}. */
    public static final class NotUtf8Exception extends IOException {
        private static final long serialVersionUID = 1L;
        private final int line;
        private final int column;
        private final String reason;

        NotUtf8Exception(String source, int line, int column, String reason) {
            super(source + ":" + line + ":" + column + ": " + reason);
            this.line = line;
            this.column = column;
            this.reason = reason;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }

        /** The message without the location. */
        public String reason() {
            return reason;
        }
    }

    /** Decodes {@code bytes} of the file {@code source} (a name for messages). */
    public static String decode(byte[] bytes, String source) throws NotUtf8Exception {
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            throw new NotUtf8Exception(source, 1, 1, "the file is UTF-16 (it starts with a UTF-16 byte order mark),"
                    + " not UTF-8; save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8");
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

    private static NotUtf8Exception notUtf8(byte[] bytes, int at, String source) {
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
            String latin = new String(new byte[] {(byte) b}, Charset.forName("windows-1252"));
            guess = "the file looks like Windows-1252 or ISO-8859-1, where this byte is '" + latin
                    + "'; save it as UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8";
        }
        return new NotUtf8Exception(source, line, column, "the file is not UTF-8: byte 0x"
                + String.format(Locale.ROOT, "%02X", b) + " cannot be read as UTF-8 (line " + line + ", column " + column
                + "); " + guess);
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
