package org.cohortflow.intake.deidentify;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Reading DICOM objects strictly and writing them durably (temp file, fsync, atomic rename). */
public final class DicomFiles {
    private DicomFiles() {
    }

    /** Thrown when bytes are not a complete DICOM object. */
    public static final class NotDicomException extends Exception {
        private static final long serialVersionUID = 1L;

        public NotDicomException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Reads a whole object; not DICOM, truncated or without SOP instance UID is a {@link NotDicomException}. */
    public static AttributeList read(Path file) throws NotDicomException, IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    /** Reads a whole object from bytes. */
    public static AttributeList read(byte[] bytes, String name) throws NotDicomException {
        AttributeList list;
        try {
            list = read(new ByteArrayInputStream(bytes), name);
        } catch (IOException e) {
            throw new NotDicomException(name + ": " + e.getMessage(), e);
        }
        String ts = Attribute.getSingleStringValueOrDefault(list, TagFromName.TransferSyntaxUID, TransferSyntax.ExplicitVRLittleEndian);
        java.util.Optional<String> damage = Part10Check.problem(bytes, ts);
        if (damage.isPresent()) {
            throw new NotDicomException(name + " is truncated or damaged: " + damage.get(), null);
        }
        if (Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID).isEmpty()) {
            throw new NotDicomException(name + " is not a DICOM object (no SOPInstanceUID)", null);
        }
        checkPixelData(list, name);
        return list;
    }

    private static AttributeList read(InputStream in, String name) throws NotDicomException, IOException {
        // A Part 10 file starts with a 128-byte preamble and "DICM": checking it first keeps PixelMed from
        // allocating whatever length garbage bytes happen to spell.
        in.mark(132);
        byte[] head = in.readNBytes(132);
        if (head.length < 132 || head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M') {
            throw new NotDicomException(name + " is not a DICOM Part 10 file (no 'DICM' after the 128-byte preamble)", null);
        }
        in.reset();
        AttributeList list = new AttributeList();
        try {
            DicomInputStream din = new DicomInputStream(in);
            list.read(din);
        } catch (DicomException | RuntimeException | java.io.EOFException e) {
            throw new NotDicomException(name + " is not a readable DICOM object: " + e.getMessage(), e);
        } catch (IOException e) {
            if (e.getClass() == IOException.class) {
                throw new NotDicomException(name + " is not a readable DICOM object: " + e.getMessage(), e);
            }
            throw e;
        }
        return list;
    }

    /**
     * PixelMed logs a read error at the end of a truncated file and returns what it read: an image without
     * its pixel data, or with fewer bytes than its rows, columns, samples, bits and frames need, is truncated.
     */
    private static void checkPixelData(AttributeList list, String name) throws NotDicomException {
        String sopClass = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID);
        Attribute pixels = list.get(TagFromName.PixelData);
        if (pixels == null) {
            if (com.pixelmed.dicom.SOPClass.isImageStorage(sopClass)) {
                throw new NotDicomException(name + " is truncated or damaged: an image without pixel data", null);
            }
            return;
        }
        String ts = Attribute.getSingleStringValueOrDefault(list, TagFromName.TransferSyntaxUID, TransferSyntax.ExplicitVRLittleEndian);
        if (new TransferSyntax(ts).isEncapsulated()) {
            return;
        }
        long rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        long columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        long samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        long bits = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 16);
        long frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
        long expected = (rows * columns * samples * bits * frames + 7) / 8;
        long actual = pixels.getVL();
        if (actual < expected) {
            throw new NotDicomException(name + " is truncated: its pixel data has " + actual + " of " + expected + " bytes", null);
        }
    }

    /**
     * Writes an object as a DICOM file (Part 10 meta header, the transfer syntax it had, explicit VR little
     * endian when it had none), durably: a temporary file beside {@code target}, forced to disk, renamed.
     */
    public static void write(AttributeList list, Path target) throws IOException {
        String ts = Attribute.getSingleStringValueOrDefault(list, TagFromName.TransferSyntaxUID,
                TransferSyntax.ExplicitVRLittleEndian);
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".part-", ".dcm");
        try {
            FileMetaInformation.addFileMetaInformation(list, ts, Deidentifier.SOURCE_AE);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                list.write(out, ts, true, true);
            }
            force(tmp);
            moveAtomically(tmp, target);
            force(dir);
        } catch (DicomException e) {
            throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Moves a file into place with one rename (replacing what was there). */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Forces a file's (or a folder's) content to disk. */
    public static void force(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, Files.isDirectory(p) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(p)) {
                throw e;
            }
            // Some file systems refuse to open folders for sync; the rename itself is still atomic there.
        }
    }
}
