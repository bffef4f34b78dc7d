package org.cohortflow.intake.deidentify;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the element structure of a little-endian DICOM Part 10 file (explicit or implicit VR) without
 * decoding values, to find files cut short: PixelMed logs such a read error and returns what it got, which
 * must not pass as a whole object. Big-endian and deflated files are not walked.
 */
final class Part10Check {
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
    private static final long UNDEFINED = 0xFFFFFFFFL;

    private final ByteBuffer b;

    private Part10Check(byte[] bytes) {
        this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Why the file is damaged, or empty when its structure is whole (or cannot be walked here). */
    static Optional<String> problem(byte[] bytes, String transferSyntax) {
        boolean explicit;
        if ("1.2.840.10008.1.2".equals(transferSyntax)) {
            explicit = false;
        } else if ("1.2.840.10008.1.2.2".equals(transferSyntax) || "1.2.840.10008.1.2.1.99".equals(transferSyntax)) {
            return Optional.empty();
        } else {
            explicit = true;
        }
        Part10Check c = new Part10Check(bytes);
        try {
            int pos = 132;
            // The meta group is explicit VR little endian whatever the transfer syntax.
            while (pos + 8 <= bytes.length && c.b.getShort(pos) == 0x0002) {
                pos = c.element(pos, true, bytes.length);
            }
            c.dataset(pos, bytes.length, explicit, false);
            return Optional.empty();
        } catch (Truncated t) {
            return Optional.of(t.getMessage());
        }
    }

    private static final class Truncated extends Exception {
        private static final long serialVersionUID = 1L;

        Truncated(String message) {
            super(message, null, false, false);
        }
    }

    /** Walks elements from {@code pos} to {@code end}; in an item of undefined length, up to its delimiter. */
    private int dataset(int pos, int end, boolean explicit, boolean untilDelimiter) throws Truncated {
        while (pos < end) {
            if (pos + 8 > end) {
                throw new Truncated("the file ends inside an element header at byte " + pos);
            }
            int group = b.getShort(pos) & 0xFFFF;
            int element = b.getShort(pos + 2) & 0xFFFF;
            if (group == 0xFFFE && element == 0xE00D) {
                return pos + 8;
            }
            pos = element(pos, explicit, end);
        }
        if (untilDelimiter) {
            throw new Truncated("the file ends inside an item");
        }
        return pos;
    }

    private int element(int pos, boolean explicit, int end) throws Truncated {
        int group = b.getShort(pos) & 0xFFFF;
        int element = b.getShort(pos + 2) & 0xFFFF;
        String vr = null;
        long length;
        int value;
        if (explicit && group != 0xFFFE) {
            vr = new String(new byte[] {b.get(pos + 4), b.get(pos + 5)}, java.nio.charset.StandardCharsets.US_ASCII);
            if (LONG_VRS.contains(vr)) {
                if (pos + 12 > end) {
                    throw new Truncated("the file ends inside the header of (" + hex(group) + "," + hex(element) + ")");
                }
                length = b.getInt(pos + 8) & UNDEFINED;
                value = pos + 12;
            } else {
                length = b.getShort(pos + 6) & 0xFFFF;
                value = pos + 8;
            }
        } else {
            length = b.getInt(pos + 4) & UNDEFINED;
            value = pos + 8;
        }
        if (length == UNDEFINED) {
            // A sequence or encapsulated pixel data: items until the sequence delimiter.
            return items(value, end, explicit && !"UN".equals(vr), group, element);
        }
        if (value + length > end) {
            throw new Truncated("the file ends inside the value of (" + hex(group) + "," + hex(element) + "): "
                    + (end - value) + " of " + length + " bytes");
        }
        return (int) (value + length);
    }

    private int items(int pos, int end, boolean explicit, int group, int element) throws Truncated {
        while (true) {
            if (pos + 8 > end) {
                throw new Truncated("the file ends inside the sequence (" + hex(group) + "," + hex(element) + ")");
            }
            int g = b.getShort(pos) & 0xFFFF;
            int e = b.getShort(pos + 2) & 0xFFFF;
            long length = b.getInt(pos + 4) & UNDEFINED;
            if (g == 0xFFFE && e == 0xE0DD) {
                return pos + 8;
            }
            if (g != 0xFFFE || e != 0xE000) {
                throw new Truncated("damaged sequence (" + hex(group) + "," + hex(element) + ") at byte " + pos);
            }
            if (length == UNDEFINED) {
                pos = dataset(pos + 8, end, explicit, true);
            } else {
                if (pos + 8 + length > end) {
                    throw new Truncated("the file ends inside an item of (" + hex(group) + "," + hex(element) + ")");
                }
                pos = (int) (pos + 8 + length);
            }
        }
    }

    private static String hex(int v) {
        return String.format("%04X", v);
    }
}
