package org.cohortflow.imaging.dicom;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import org.cohortflow.imaging.ImagingException;

/**
 * Reading single DICOM files through PixelMed, with failures turned into {@link ImagingException}s that
 * name the file.
 *
 * <p>Every read first walks the file's element structure ({@code DicomStructure}) so that non-DICOM and
 * truncated files are reported as such: PixelMed on its own returns partial attribute lists for them.
 */
public final class DicomFiles {
    private static final Map<String, String> TRANSFER_SYNTAX_NAMES = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2", "Implicit VR Little Endian"),
            Map.entry("1.2.840.10008.1.2.1", "Explicit VR Little Endian"),
            Map.entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"),
            Map.entry("1.2.840.10008.1.2.2", "Explicit VR Big Endian"),
            Map.entry("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
            Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
            Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
            Map.entry("1.2.840.10008.1.2.4.70", "JPEG Lossless, First-Order Prediction (Process 14 SV1)"),
            Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
            Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
            Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless"),
            Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000"),
            Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"));

    private DicomFiles() {
    }

    /**
     * SOP classes whose instances must carry pixel data. A file of one of these classes without pixel data
     * was cut short at an element boundary, which a structural walk alone cannot see.
     */
    private static final java.util.Set<String> IMAGE_SOP_CLASSES = java.util.Set.of(
            "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1.1",
            "1.2.840.10008.5.1.4.1.1.1.2", "1.2.840.10008.5.1.4.1.1.1.2.1", "1.2.840.10008.5.1.4.1.1.1.3",
            "1.2.840.10008.5.1.4.1.1.1.3.1", "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1",
            "1.2.840.10008.5.1.4.1.1.2.2", "1.2.840.10008.5.1.4.1.1.3.1", "1.2.840.10008.5.1.4.1.1.4",
            "1.2.840.10008.5.1.4.1.1.4.1", "1.2.840.10008.5.1.4.1.1.4.3", "1.2.840.10008.5.1.4.1.1.4.4",
            "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.6.2", "1.2.840.10008.5.1.4.1.1.7",
            "1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.2", "1.2.840.10008.5.1.4.1.1.7.3",
            "1.2.840.10008.5.1.4.1.1.7.4", "1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.12.1.1",
            "1.2.840.10008.5.1.4.1.1.12.2", "1.2.840.10008.5.1.4.1.1.12.2.1", "1.2.840.10008.5.1.4.1.1.20",
            "1.2.840.10008.5.1.4.1.1.30", "1.2.840.10008.5.1.4.1.1.66.4", "1.2.840.10008.5.1.4.1.1.128",
            "1.2.840.10008.5.1.4.1.1.128.1", "1.2.840.10008.5.1.4.1.1.130", "1.2.840.10008.5.1.4.1.1.481.1",
            "1.2.840.10008.5.1.4.1.1.481.2");

    /** Reads all attributes up to (not including) the pixel data. */
    public static AttributeList readHeader(Path path) {
        DicomSource source = DicomSource.of(path);
        try (SeekableByteChannel ch = source.openLocal()) {
            return readHeader(source, ch);
        } catch (IOException e) {
            throw source.error("cannot read file: " + e, e);
        }
    }

    /**
     * Reads all attributes up to (not including) the pixel data of {@code file}, through {@code ch} (opened by
     * the caller, e.g. on a Hadoop file system); errors name {@code file}.
     */
    public static AttributeList readHeader(URI file, SeekableByteChannel ch) {
        return readHeader(DicomSource.of(file), ch);
    }

    private static AttributeList readHeader(DicomSource source, SeekableByteChannel ch) {
        DicomStructure.Info info = DicomStructure.check(source, ch, Set.of());
        AttributeList list;
        try {
            // The pixel data element's own header is included so that PixelMed meets its stop tag rather than the end.
            list = parse(ch, info.hasPixelData() ? info.pixelDataOffset() + 12 : info.fileSize(), TagFromName.PixelData);
        } catch (IOException | DicomException | RuntimeException e) {
            throw source.error("cannot read DICOM header: " + e.getMessage(), e);
        }
        requirePixelDataOfImages(source, info, list);
        return list;
    }

    /**
     * Parses the first {@code length} bytes of the file (the header, up to the pixel data) with PixelMed,
     * from memory: PixelMed reads a few bytes at a time, and one bulk read made full header reads ~15% faster.
     * Headers too large for one array are streamed.
     */
    private static AttributeList parse(SeekableByteChannel ch, long length, AttributeTag stopAt) throws IOException, DicomException {
        AttributeList list = new AttributeList();
        ch.position(0);
        // Not closed here: the channel belongs to the caller.
        InputStream in = Channels.newInputStream(ch);
        if (length > Integer.MAX_VALUE - 16) {
            list.read(new DicomInputStream(new BufferedInputStream(in, 1 << 16)), stopAt);
            return list;
        }
        byte[] bytes = in.readNBytes((int) length);
        list.read(new DicomInputStream(new ByteArrayInputStream(bytes)), stopAt);
        return list;
    }

    /**
     * Reads only the top-level attributes {@code tags} (those present), with the same checks and the same
     * values as {@link #readHeader}.
     *
     * <p>Why: PixelMed parses and converts every element of the header (an RTSTRUCT's contour points
     * included) from an unbuffered file, which made cohort indexing slower than pydicom. Here the structural
     * walk, which reads the file anyway, keeps the encoded bytes of the few wanted elements and PixelMed
     * parses just those, so each file is opened once and values are decoded exactly as PixelMed decodes
     * them (specific character set included). Deflated files and files without file meta information,
     * whose dataset the walk cannot see or whose transfer syntax it has to guess, go through
     * {@link #readHeader}.
     */
    public static AttributeList readAttributes(Path path, AttributeTag... tags) {
        DicomSource source = DicomSource.of(path);
        try (SeekableByteChannel ch = source.openLocal()) {
            return readAttributes(source, ch, tags);
        } catch (IOException e) {
            throw source.error("cannot read file: " + e, e);
        }
    }

    /**
     * {@link #readAttributes(Path, AttributeTag...)} for a file of any storage, read through {@code ch}
     * (opened, and closed, by the caller); errors name {@code file}. Reads stop before the pixel data.
     */
    public static AttributeList readAttributes(URI file, SeekableByteChannel ch, AttributeTag... tags) {
        return readAttributes(DicomSource.of(file), ch, tags);
    }

    private static AttributeList readAttributes(DicomSource source, SeekableByteChannel ch, AttributeTag... tags) {
        Set<Integer> wanted = new HashSet<>();
        for (AttributeTag t : tags) wanted.add(key(t));
        wanted.add(key(TagFromName.SpecificCharacterSet));      // decoding the others needs it
        wanted.add(key(TagFromName.SOPClassUID));               // the truncation check needs it
        DicomStructure.Info info = DicomStructure.check(source, ch, wanted);
        if (!info.hasMetaHeader() || info.transferSyntaxUid().equals(DicomStructure.DEFLATED_LE)) return readHeader(source, ch);
        int size = 0;
        for (byte[] e : info.elements()) size += e.length;
        byte[] dataset = new byte[size];
        int at = 0;
        for (byte[] e : info.elements()) {
            System.arraycopy(e, 0, dataset, at, e.length);
            at += e.length;
        }
        AttributeList list = new AttributeList();
        try {
            list.read(new DicomInputStream(new ByteArrayInputStream(dataset), info.transferSyntaxUid(), false));
        } catch (IOException | DicomException | RuntimeException e) {
            throw source.error("cannot read DICOM header: " + e.getMessage(), e);
        }
        requirePixelDataOfImages(source, info, list);
        return list;
    }

    private static int key(AttributeTag t) {
        return (t.getGroup() << 16) | t.getElement();
    }

    private static void requirePixelDataOfImages(DicomSource source, DicomStructure.Info info, AttributeList list) {
        String sopClass = string(list, TagFromName.SOPClassUID);
        if (sopClass.isEmpty()) sopClass = info.mediaStorageSopClassUid();
        if (!info.hasPixelData() && !info.transferSyntaxUid().equals(DicomStructure.DEFLATED_LE) && IMAGE_SOP_CLASSES.contains(sopClass)) {
            throw source.error("truncated DICOM file: image object (SOP class " + sopClass + ") ends at byte "
                    + info.fileSize() + " without pixel data");
        }
    }

    /** Reads the whole file including (decompressed) pixel data. */
    static AttributeList readWithPixels(Path path) {
        DicomStructure.Info info = DicomStructure.check(DicomSource.of(path));
        if (!info.transferSyntaxUid().equals(DicomStructure.DEFLATED_LE) && !info.hasPixelData()) {
            throw new ImagingException(path, "no pixel data (truncated before the pixel data, or not an image)");
        }
        AttributeList list = new AttributeList();
        try {
            // From the file: a whole-file array would add the file's size to the peak memory of every read, for
            // no measurable gain (pixel data is read in bulk either way).
            list.read(path.toFile());
        } catch (IOException | DicomException | RuntimeException e) {
            String ts = transferSyntax(list, info.transferSyntaxUid());
            if (isEncapsulated(ts)) {
                throw new ImagingException(path, "cannot decode pixel data in transfer syntax " + describe(ts) + " with PixelMed: "
                        + e.getMessage(), e);
            }
            throw new ImagingException(path, "cannot read DICOM file: " + e.getMessage(), e);
        }
        if (list.getPixelData() == null) {
            throw new ImagingException(path, "pixel data could not be read (transfer syntax " + describe(transferSyntax(list, info.transferSyntaxUid()))
                    + "; truncated or undecodable)");
        }
        return list;
    }

    private static String transferSyntax(AttributeList list, String fallback) {
        String ts = string(list, TagFromName.TransferSyntaxUID);
        return ts.isEmpty() ? fallback : ts;
    }

    static boolean isEncapsulated(String ts) {
        return ts.startsWith("1.2.840.10008.1.2.4.") || ts.equals("1.2.840.10008.1.2.5");
    }

    /** A transfer syntax UID with its name, for messages. */
    public static String describe(String transferSyntaxUid) {
        String name = TRANSFER_SYNTAX_NAMES.get(transferSyntaxUid);
        return name == null ? transferSyntaxUid : transferSyntaxUid + " (" + name + ")";
    }

    /** Single string value, trimmed; empty when absent. */
    public static String string(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    /** Integer value or {@code dflt} when absent or unparsable. */
    public static int integer(AttributeList list, AttributeTag tag, int dflt) {
        Attribute a = list.get(tag);
        return a == null || a.getVM() == 0 ? dflt : a.getSingleIntegerValueOrDefault(dflt);
    }

    /** Numeric values, or null when absent or empty. */
    static double[] doubles(AttributeList list, AttributeTag tag) {
        Attribute a = list == null ? null : list.get(tag);
        if (a == null || a.getVM() == 0) return null;
        try {
            return a.getDoubleValues();
        } catch (DicomException e) {
            return null;
        }
    }

    /** The attribute list of the single (first) item of sequence {@code seq} in {@code list}, or null. */
    static AttributeList item(AttributeList list, AttributeTag seq) {
        if (list == null) return null;
        Attribute a = list.get(seq);
        if (a instanceof SequenceAttribute s && s.getNumberOfItems() > 0) return s.getItem(0).getAttributeList();
        return null;
    }

    /** Item {@code index} of sequence {@code seq}, or null. */
    static AttributeList item(AttributeList list, AttributeTag seq, int index) {
        Attribute a = list == null ? null : list.get(seq);
        if (a instanceof SequenceAttribute s && s.getNumberOfItems() > index) return s.getItem(index).getAttributeList();
        return null;
    }
}
