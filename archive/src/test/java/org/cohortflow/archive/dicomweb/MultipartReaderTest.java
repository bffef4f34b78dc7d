package org.cohortflow.archive.dicomweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {

    private static byte[] body(String boundary, List<byte[]> parts, boolean close) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("preamble to ignore\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] p : parts) {
            b.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\nContent-Length: " + p.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            b.writeBytes(p);
            b.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        if (close) b.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
    }

    /** Hands out at most {@code n} bytes per read, to split delimiters across reads. */
    private static InputStream trickle(byte[] bytes, int n) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, n));
            }
        };
    }

    private static List<byte[]> readAll(MultipartReader r) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (Optional<Map<String, String>> h; (h = r.next()).isPresent(); ) {
            assertEquals("application/dicom", h.get().get("content-type"));
            out.add(r.body());
        }
        return out;
    }

    @Test
    void partsComeBackByteForByteWhateverTheReadSizes() throws IOException {
        Random rnd = new Random(3);
        List<byte[]> parts = new ArrayList<>();
        for (int size : new int[] {0, 1, 17, 70_000, 200_001}) {
            byte[] p = new byte[size];
            rnd.nextBytes(p);
            parts.add(p);
        }
        // A part that contains the delimiter minus one byte must not be split there.
        parts.add("x\r\n--abc12-not-quite\r\n-abc123\r\n--abc12".getBytes(StandardCharsets.ISO_8859_1));
        byte[] body = body("abc123", parts, true);
        for (int chunk : new int[] {1, 7, 4096, 1 << 20}) {
            try (MultipartReader r = new MultipartReader(trickle(body, chunk), "abc123")) {
                List<byte[]> got = readAll(r);
                assertEquals(parts.size(), got.size(), "chunk " + chunk);
                for (int i = 0; i < parts.size(); i++) assertArrayEquals(parts.get(i), got.get(i), "part " + i + " chunk " + chunk);
                assertTrue(r.complete());
            }
        }
    }

    @Test
    void aBodyCutBeforeTheClosingBoundaryIsATruncationError() throws IOException {
        byte[] full = body("b", List.of(new byte[5000], new byte[5000]), true);
        byte[] cut = Arrays.copyOf(full, full.length - 5200);
        MultipartReader r = new MultipartReader(new ByteArrayInputStream(cut), "b");
        MultipartReader.TruncatedException e = assertThrows(MultipartReader.TruncatedException.class, () -> readAll(r));
        assertTrue(e.getMessage().contains("truncated multipart response"), e.getMessage());
        assertFalse(r.complete());
    }

    @Test
    void aBodyWithoutTheClosingBoundaryIsATruncationErrorEvenAfterWholeParts() {
        byte[] noClose = body("b", List.of(new byte[10]), false);
        MultipartReader r = new MultipartReader(new ByteArrayInputStream(noClose), "b");
        assertThrows(MultipartReader.TruncatedException.class, () -> readAll(r));
    }

    @Test
    void theBoundaryIsReadFromAQuotedOrBareContentTypeParameter() {
        assertEquals("x y", MultipartReader.boundary("multipart/related; type=\"application/dicom\"; boundary=\"x y\"").orElseThrow());
        assertEquals("abc", MultipartReader.boundary("multipart/related;boundary=abc;type=application/dicom").orElseThrow());
        assertTrue(MultipartReader.boundary("multipart/related; type=application/dicom").isEmpty());
    }
}
