package org.cohortflow.imaging.dicom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.cohortflow.imaging.ImagingException;

/**
 * A structural check of a DICOM file that does not trust the parser: walks the element headers (tags and
 * lengths, not values) and verifies that every declared length fits in the file.
 *
 * <p>Why: PixelMed logs and swallows some read errors and returns a partial attribute list for a truncated
 * file, so a truncated file would otherwise look like a valid one with fewer attributes. Walking element
 * headers only reads a few bytes per element, so this costs little next to parsing. Deflated datasets
 * cannot be walked without inflating them; for those only the file meta information is checked and
 * truncation surfaces as an inflater error while parsing.
 */
final class DicomStructure {
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int MAX_DEPTH = 32;

    /**
     * What the walk found. {@code pixelDataOffset} is -1 when the file has no top-level pixel data.
     * {@code hasMetaHeader} tells whether the transfer syntax was declared rather than guessed; {@code elements}
     * holds the encoded top-level elements asked for (header and value bytes, in file order), ready to be
     * parsed as a small dataset in the file's transfer syntax.
     */
    record Info(String transferSyntaxUid, String mediaStorageSopClassUid, long pixelDataOffset, long pixelDataLength, long fileSize,
                boolean hasMetaHeader, List<byte[]> elements) {
        boolean hasPixelData() { return pixelDataOffset >= 0; }
    }

    private final DicomSource source;
    private final SeekableByteChannel ch;
    private final long size;
    private final ByteBuffer window;
    private long windowStart = -1;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private boolean explicit = true;
    private long pixelOffset = -1;
    private long pixelLength = -1;
    private final Set<Integer> wanted;
    private final List<byte[]> kept = new ArrayList<>();

    private DicomStructure(DicomSource source, SeekableByteChannel ch, Set<Integer> wanted) throws IOException {
        this.source = source;
        this.ch = ch;
        this.size = ch.size();
        this.window = ByteBuffer.allocate((int) Math.max(1, Math.min(size, 16 * 1024)));
        this.wanted = wanted;
    }

    /** Checks {@code source}; throws {@link ImagingException} for a non-DICOM or truncated file. */
    static Info check(DicomSource source) {
        return check(source, Set.of());
    }

    /**
     * Checks {@code path} and, in the same pass, keeps the raw values of the top-level elements whose tags
     * are in {@code wanted}: callers that need a handful of attributes then need neither a second open nor
     * a full parse.
     */
    static Info check(DicomSource source, Set<Integer> wanted) {
        try (SeekableByteChannel ch = source.openLocal()) {
            return check(source, ch, wanted);
        } catch (IOException e) {
            throw source.error("cannot read file: " + e, e);
        }
    }

    /**
     * Checks a file through a channel opened by the caller (a remote file, say). Reads go by position
     * through a small window, so a walk that stops at the pixel data reads little more than the header.
     */
    static Info check(DicomSource source, SeekableByteChannel ch, Set<Integer> wanted) {
        try {
            return new DicomStructure(source, ch, wanted).walk();
        } catch (IOException e) {
            throw source.error("cannot read file: " + e, e);
        }
    }

    private Info walk() throws IOException {
        long pos = 0;
        String ts = null;
        String sopClass = "";
        boolean preamble = size >= 132 && u8(128) == 'D' && u8(129) == 'I' && u8(130) == 'C' && u8(131) == 'M';
        if (preamble) {
            pos = 132;
        } else if (size < 8 || (u16le(0) != 0x0002 && u16le(0) != 0x0008)) {
            throw source.notDicom("not a DICOM file (no 'DICM' prefix and no DICOM group at the start)");
        }
        boolean meta = size >= pos + 8 && u16le(pos) == 0x0002;
        if (meta) {
            // File meta information: always explicit VR little endian.
            while (pos + 8 <= size && u16le(pos) == 0x0002) {
                int element = u16le(pos + 2);
                boolean longVr = longVr(u8(pos + 4), u8(pos + 5));
                long headerLen = longVr ? 12 : 8;
                long len = longVr ? u32(pos + 8) : u16le(pos + 6);
                require(pos + headerLen <= size, pos, "file meta element header");
                if (len == UNDEFINED || pos + headerLen + len > size) require(false, pos, "file meta element " + tagName(0x0002, element));
                if (element == 0x0010) ts = string(pos + headerLen, (int) Math.min(len, 64));
                if (element == 0x0002) sopClass = string(pos + headerLen, (int) Math.min(len, 64));
                pos += headerLen + len;
            }
            // A file cut at an element boundary inside the meta information still parses; it just has no dataset.
            require(ts != null, pos, "file meta information without TransferSyntaxUID");
            require(pos < size, pos, "dataset after the file meta information");
        }
        if (ts == null) {
            // No meta header: guess from the first element as PixelMed does.
            ts = isVrAt(pos + 4) ? "1.2.840.10008.1.2.1" : IMPLICIT_LE;
        }
        if (ts.equals(DEFLATED_LE)) {
            return new Info(ts, sopClass, -1, -1, size, meta, List.of());
        }
        explicit = !ts.equals(IMPLICIT_LE);
        order = ts.equals(EXPLICIT_BE) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        elements(pos, size, 0, false);
        return new Info(ts, sopClass, pixelOffset, pixelLength, size, meta, kept);
    }

    /** Walks elements from {@code pos}; inside an undefined-length item stops after the item delimiter. */
    private long elements(long pos, long end, int depth, boolean inUndefinedItem) throws IOException {
        if (depth > MAX_DEPTH) throw source.error("sequences nested deeper than " + MAX_DEPTH + " at byte " + pos);
        while (pos < end) {
            require(pos + 8 <= size, pos, "element header");
            int group = u16(pos);
            int element = u16(pos + 2);
            if (group == 0xFFFE) {
                if (element == 0xE00D && inUndefinedItem) return pos + 8;
                throw source.error("malformed DICOM: unexpected delimiter (FFFE," + hex4(element) + ") at byte " + pos);
            }
            long headerLen;
            long len;
            if (explicit) {
                if (longVr(u8(pos + 4), u8(pos + 5))) {
                    require(pos + 12 <= size, pos, "element header");
                    headerLen = 12;
                    len = u32(pos + 8);
                } else {
                    headerLen = 8;
                    len = u16(pos + 6);
                }
            } else {
                headerLen = 8;
                len = u32(pos + 4);
            }
            boolean pixels = depth == 0 && ((group << 16) | element) == PIXEL_DATA;
            if (pixels) {
                pixelOffset = pos;
                pixelLength = len;
            }
            if (len == UNDEFINED) {
                pos = items(pos + headerLen, depth + 1, (group << 16) | element);
            } else {
                if (pos + headerLen + len > size) require(false, pos, "element " + tagName(group, element) + " of " + len + " bytes");
                if (depth == 0 && !pixels && !wanted.isEmpty() && wanted.contains((group << 16) | element)) {
                    kept.add(bytes(pos, (int) (headerLen + len)));
                }
                pos += headerLen + len;
            }
            if (pixels) return pos;     // anything after the pixel data (trailing padding) is not our concern
        }
        require(!inUndefinedItem, pos, "item delimiter");
        return pos;
    }

    /** Walks the items of an undefined-length sequence (or encapsulated pixel data) up to its delimiter. */
    private long items(long pos, int depth, int ownerTag) throws IOException {
        while (true) {
            if (pos + 8 > size) require(false, pos, "item of " + owner(ownerTag));
            int group = u16(pos);
            int element = u16(pos + 2);
            long len = u32(pos + 4);
            if (group != 0xFFFE) {
                throw source.error("malformed DICOM: expected an item in " + owner(ownerTag) + " at byte " + pos
                        + ", found (" + hex4(group) + "," + hex4(element) + ")");
            }
            if (element == 0xE0DD) return pos + 8;
            if (element != 0xE000) {
                throw source.error("malformed DICOM: unexpected (FFFE," + hex4(element) + ") in " + owner(ownerTag) + " at byte " + pos);
            }
            if (len == UNDEFINED) {
                pos = elements(pos + 8, Long.MAX_VALUE, depth, true);
            } else {
                if (pos + 8 + len > size) require(false, pos, "item of " + len + " bytes in " + owner(ownerTag));
                pos += 8 + len;
            }
        }
    }

    private void require(boolean ok, long pos, String what) {
        if (!ok) {
            throw source.error("truncated DICOM file: " + what + " at byte " + pos + " extends beyond the end of the file ("
                    + size + " bytes)");
        }
    }

    /** Whether the VR with these two characters has a 4-byte length. Chars, not a String: this runs per element. */
    private static boolean longVr(int a, int b) {
        return switch (a) {
            case 'O' -> b == 'B' || b == 'D' || b == 'F' || b == 'L' || b == 'V' || b == 'W';
            case 'S' -> b == 'Q' || b == 'V';
            case 'U' -> b == 'C' || b == 'N' || b == 'R' || b == 'T' || b == 'V';
            default -> false;
        };
    }

    private static String owner(int tag) {
        return tagName(tag >>> 16, tag & 0xFFFF);
    }

    private boolean isVrAt(long pos) throws IOException {
        if (pos + 2 > size) return false;
        int a = u8(pos), b = u8(pos + 1);
        return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
    }

    private static String tagName(int group, int element) {
        return "(" + hex4(group) + "," + hex4(element) + ")";
    }

    private static String hex4(int v) {
        return String.format("%04X", v);
    }

    private String string(long pos, int len) throws IOException {
        return new String(bytes(pos, len), StandardCharsets.US_ASCII).replace("\0", "").trim();
    }

    private byte[] bytes(long pos, int len) throws IOException {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) u8(pos + i);
        return b;
    }

    private int u8(long pos) throws IOException {
        if (windowStart < 0 || pos < windowStart || pos >= windowStart + window.limit()) {
            window.clear();
            windowStart = pos;
            ch.position(windowStart);
            while (window.hasRemaining()) {
                if (ch.read(window) < 0) break;
            }
            window.flip();
            if (window.limit() == 0) throw source.error("truncated DICOM file: nothing at byte " + pos);
        }
        return window.get((int) (pos - windowStart)) & 0xff;
    }

    private int u16le(long pos) throws IOException {
        return u8(pos) | (u8(pos + 1) << 8);
    }

    private int u16(long pos) throws IOException {
        return order == ByteOrder.LITTLE_ENDIAN ? u16le(pos) : (u8(pos) << 8) | u8(pos + 1);
    }

    private long u32(long pos) throws IOException {
        if (order == ByteOrder.LITTLE_ENDIAN) {
            return u8(pos) | (u8(pos + 1) << 8) | (u8(pos + 2) << 16) | ((long) u8(pos + 3) << 24);
        }
        return ((long) u8(pos) << 24) | (u8(pos + 1) << 16) | (u8(pos + 2) << 8) | u8(pos + 3);
    }
}
