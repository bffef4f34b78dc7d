package org.cohortflow.archive.sink;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.cohortflow.imaging.ImagingException;

/** Building DICOM datasets by attribute keyword, content-derived UIDs, and writing Part 10 files. */
final class Dicom {
    static final String IMPLEMENTATION_AET = "COHORTFLOW";
    private static final DicomDictionary DICT = DicomDictionary.StandardDictionary;

    private Dicom() {
    }

    static AttributeTag tag(String keyword) {
        AttributeTag t = DICT.getTagFromName(keyword);
        if (t == null) throw new IllegalArgumentException("no DICOM attribute '" + keyword + "'");
        return t;
    }

    /** Puts {@code keyword} with string values (none for an empty type 2 attribute). */
    static void put(AttributeList list, String keyword, String... values) {
        AttributeTag t = tag(keyword);
        try {
            Attribute a = AttributeFactory.newAttribute(t, DICT.getValueRepresentationFromTag(t));
            for (String v : values) a.addValue(v);
            list.put(a);
        } catch (DicomException e) {
            throw new IllegalArgumentException(keyword + ": " + e.getMessage(), e);
        }
    }

    static void putInt(AttributeList list, String keyword, int... values) {
        AttributeTag t = tag(keyword);
        try {
            Attribute a = AttributeFactory.newAttribute(t, DICT.getValueRepresentationFromTag(t));
            for (int v : values) a.addValue(v);
            list.put(a);
        } catch (DicomException e) {
            throw new IllegalArgumentException(keyword + ": " + e.getMessage(), e);
        }
    }

    static void putDouble(AttributeList list, String keyword, double... values) {
        AttributeTag t = tag(keyword);
        try {
            Attribute a = AttributeFactory.newAttribute(t, DICT.getValueRepresentationFromTag(t));
            for (double v : values) a.addValue(v);
            list.put(a);
        } catch (DicomException e) {
            throw new IllegalArgumentException(keyword + ": " + e.getMessage(), e);
        }
    }

    /** Decimal strings (DS, at most 16 characters each) of doubles. */
    static void putDecimals(AttributeList list, String keyword, double... values) {
        put(list, keyword, Arrays.stream(values).mapToObj(Dicom::ds).toArray(String[]::new));
    }

    static void putTags(AttributeList list, String keyword, AttributeTag... values) {
        AttributeTagAttribute a = new AttributeTagAttribute(tag(keyword));
        try {
            for (AttributeTag v : values) a.addValue(v);
        } catch (DicomException e) {
            throw new IllegalArgumentException(keyword + ": " + e.getMessage(), e);
        }
        list.put(a);
    }

    static SequenceAttribute sequence(AttributeList list, String keyword, AttributeList... items) {
        SequenceAttribute s = new SequenceAttribute(tag(keyword));
        for (AttributeList i : items) s.addItem(i);
        list.put(s);
        return s;
    }

    /** A code sequence item: value, scheme, meaning (meaning cut to the 64 characters LO allows). */
    static AttributeList code(String value, String scheme, String meaning) {
        AttributeList c = new AttributeList();
        put(c, "CodeValue", value);
        put(c, "CodingSchemeDesignator", scheme);
        put(c, "CodeMeaning", meaning.length() > 64 ? meaning.substring(0, 64) : meaning);
        return c;
    }

    /** Copies {@code keywords} from {@code from} (as empty attributes when absent there). */
    static void copy(AttributeList from, AttributeList to, String... keywords) {
        for (String k : keywords) {
            Attribute a = from.get(tag(k));
            if (a != null) to.put(a);
            else put(to, k);
        }
    }

    /** A UID under the 2.25 root (PS3.5 B.2) from the SHA-256 of {@code parts}: the same content gives the same UID. */
    static String uid(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            byte[] h = Arrays.copyOf(md.digest(), 16);
            return "2.25." + new BigInteger(1, h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A decimal string of at most 16 characters (DS). */
    static String ds(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        for (int digits = 15; digits > 0; digits--) {
            String s = String.format(java.util.Locale.ROOT, "%." + digits + "g", v).replaceFirst("\\.?0+(e|$)", "$1");
            if (s.length() <= 16) return s;
        }
        throw new IllegalArgumentException("cannot write " + v + " as a DICOM decimal string");
    }

    /** Today's date and time as DICOM DA and TM. */
    static String[] now() {
        LocalDateTime t = LocalDateTime.now();
        return new String[] {t.format(DateTimeFormatter.BASIC_ISO_DATE), t.format(DateTimeFormatter.ofPattern("HHmmss.SSS"))};
    }

    /** Writes {@code list} as a Part 10 file (Explicit VR Little Endian), via a temporary sibling. */
    static void write(AttributeList list, Path file) {
        try {
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, IMPLEMENTATION_AET);
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            list.write(tmp.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (DicomException | IOException e) {
            throw new ImagingException(file, "cannot write DICOM: " + e.getMessage(), e);
        }
    }
}
