package org.cohortflow.archive.dicomweb;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.Optional;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.dicom.DicomFiles;

/** Small helpers for the DICOM objects a retrieval writes. */
final class DicomParts {
    private DicomParts() {
    }

    /** The SOP Instance UID in a file's header, if it is DICOM and has one. */
    static Optional<String> sopInstanceUid(Path file) {
        try {
            AttributeList h = DicomFiles.readAttributes(file, TagFromName.SOPInstanceUID);
            String uid = DicomFiles.string(h, TagFromName.SOPInstanceUID);
            return uid.isEmpty() ? Optional.empty() : Optional.of(uid);
        } catch (ImagingException e) {
            return Optional.empty();
        }
    }

    /** The file name of an instance: its UID (digits and dots, safe everywhere) with {@code .dcm}. */
    static String fileName(String sopUid) {
        if (!sopUid.matches("[0-9.]+")) throw new IllegalArgumentException("not a UID: " + sopUid);
        return sopUid + ".dcm";
    }
}
