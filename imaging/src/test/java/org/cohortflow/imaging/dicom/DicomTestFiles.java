package org.cohortflow.imaging.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;

/** Makes small broken or re-encoded copies of real DICOM files in a temporary folder, for tests. */
public final class DicomTestFiles {
    private DicomTestFiles() {
    }

    /** Copies {@code files} into {@code dir} (created), keeping names; returns the copies in the same order. */
    public static List<Path> copy(List<Path> files, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            Path t = dir.resolve(f.getFileName());
            Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
            t.toFile().setWritable(true);
            out.add(t);
        }
        return out;
    }

    /** Keeps the first {@code bytes} bytes of {@code file}. */
    public static void truncate(Path file, long bytes) throws IOException {
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, (int) Math.min(bytes, all.length)));
    }

    /** Rewrites {@code file} after {@code edit} changes its attributes, as implicit VR little endian. */
    public static void edit(Path file, java.util.function.Consumer<AttributeList> edit) throws IOException, DicomException {
        AttributeList l = new AttributeList();
        l.read(file.toFile());
        edit.accept(l);
        write(l, file, TransferSyntax.ImplicitVRLittleEndian);
    }

    /** Writes {@code list} to {@code file} with fresh file meta information for {@code transferSyntax}. */
    public static void write(AttributeList list, Path file, String transferSyntax) throws IOException, DicomException {
        list.removeMetaInformationHeaderAttributes();
        FileMetaInformation.addFileMetaInformation(list, transferSyntax, "COHORTFLOW");
        list.write(file.toFile(), transferSyntax, true, true);
    }

    /** Sets a decimal string attribute. */
    public static void setDecimals(AttributeList l, AttributeTag tag, double... values) {
        try {
            Attribute a = new DecimalStringAttribute(tag);
            for (double v : values) a.addValue(v);
            l.put(a);
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gives the file a new SOPInstanceUID (so that a copy is a distinct instance). */
    public static void newSopInstanceUid(AttributeList l, String suffix) {
        try {
            String uid = Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SOPInstanceUID);
            Attribute a = new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID);
            a.addValue(uid.substring(0, Math.min(uid.length(), 60)) + "." + suffix);
            l.put(a);
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs an external command (e.g. dcmtk); true when it exits with 0. */
    public static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
