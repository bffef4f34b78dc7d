package org.cohortflow.archive.dicomweb;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A streaming reader of a {@code multipart/related} body (RFC 2046, RFC 2387) as WADO-RS returns it: parts are
 * copied to the caller one at a time, never held whole in memory. A body that ends before the closing
 * delimiter is a {@link TruncatedException}, so a cut-off response is never taken for a complete one.
 */
public final class MultipartReader implements Closeable {
    private static final int CHUNK = 1 << 16;

    private final InputStream in;
    private final byte[] delimiter;
    private byte[] buf = new byte[CHUNK * 2];
    private int start;
    private int end;
    private boolean eof;
    private boolean closed;
    private int parts;

    /** The body ended before the closing delimiter. */
    public static final class TruncatedException extends IOException {
        private static final long serialVersionUID = 1L;

        TruncatedException(String message) {
            super(message);
        }
    }

    /** Reads {@code in}, whose parts are separated by {@code boundary} (from the Content-Type). */
    public MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // The first delimiter may open the body without a preceding CRLF; a virtual CRLF makes it like the others.
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /** The boundary parameter of a multipart Content-Type header; empty when there is none. */
    public static Optional<String> boundary(String contentType) {
        if (contentType == null) return Optional.empty();
        for (String p : contentType.split(";")) {
            String t = p.trim();
            if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = t.substring("boundary=".length()).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
                return b.isEmpty() ? Optional.empty() : Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** Parts read so far. */
    public int parts() {
        return parts;
    }

    /**
     * Moves to the next part and returns its headers (names lower-case), or empty after the closing delimiter.
     * The previous part's body must have been read with {@link #copyBody}.
     */
    public Optional<Map<String, String>> next() throws IOException {
        if (closed) return Optional.empty();
        if (parts == 0) {
            // Skip the preamble and the first delimiter.
            skipToDelimiter(OutputStream.nullOutputStream());
            if (afterDelimiterIsClose()) return Optional.empty();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line; !(line = readLine()).isEmpty(); ) {
            int colon = line.indexOf(':');
            if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        parts++;
        return Optional.of(headers);
    }

    /** Copies the current part's body to {@code out}; afterwards {@link #next()} tells whether another part follows. */
    public void copyBody(OutputStream out) throws IOException {
        skipToDelimiter(out);
        if (afterDelimiterIsClose()) closed = true;
    }

    /** The current part's body as bytes (for small parts). */
    public byte[] body() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        copyBody(b);
        return b.toByteArray();
    }

    /** Whether the closing delimiter has been read. */
    public boolean complete() {
        return closed;
    }

    private void skipToDelimiter(OutputStream out) throws IOException {
        while (true) {
            int found = indexOf(delimiter, start, end);
            if (found >= 0) {
                out.write(buf, start, found - start);
                start = found + delimiter.length;
                return;
            }
            // Keep what could be the start of a delimiter split across reads.
            int safe = Math.max(start, end - delimiter.length + 1);
            out.write(buf, start, safe - start);
            start = safe;
            if (!fill()) {
                throw new TruncatedException("truncated multipart response: it ends inside part " + Math.max(1, parts)
                        + " without the closing boundary");
            }
        }
    }

    /** After a delimiter: {@code --} closes the body; else optional padding and CRLF start a part. */
    private boolean afterDelimiterIsClose() throws IOException {
        require(2);
        if (buf[start] == '-' && buf[start + 1] == '-') {
            start += 2;
            return true;
        }
        while (true) {
            require(1);
            byte b = buf[start];
            if (b == ' ' || b == '\t') {
                start++;
                continue;
            }
            break;
        }
        require(2);
        if (buf[start] != '\r' || buf[start + 1] != '\n') throw new IOException("malformed multipart body: no line end after a boundary");
        start += 2;
        return false;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            require(2);
            if (buf[start] == '\r' && buf[start + 1] == '\n') {
                start += 2;
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            line.write(buf[start++]);
            if (line.size() > 16_384) throw new IOException("malformed multipart body: a part header line is over 16 kB");
        }
    }

    private void require(int n) throws IOException {
        while (end - start < n) {
            if (!fill()) {
                throw new TruncatedException("truncated multipart response: it ends inside the headers of part " + (parts + 1));
            }
        }
    }

    private boolean fill() throws IOException {
        if (eof) return false;
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        int n = in.read(buf, end, Math.min(CHUNK, buf.length - end));
        if (n < 0) {
            eof = true;
            return false;
        }
        end += n;
        return true;
    }

    private int indexOf(byte[] pattern, int from, int to) {
        byte first = pattern[0];
        for (int i = from; i <= to - pattern.length; i++) {
            if (buf[i] != first) continue;
            int j = 1;
            while (j < pattern.length && buf[i + j] == pattern[j]) j++;
            if (j == pattern.length) return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
