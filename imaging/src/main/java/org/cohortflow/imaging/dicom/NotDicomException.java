package org.cohortflow.imaging.dicom;

import java.net.URI;
import java.nio.file.Path;

import org.cohortflow.imaging.ImagingException;

/**
 * A file that is not DICOM at all (as opposed to a damaged DICOM file). Folder scans skip these, since
 * series folders often hold other files too; the indexer reports them.
 */
public class NotDicomException extends ImagingException {
    private static final long serialVersionUID = 1L;

    public NotDicomException(Path path, String message) {
        super(path, message);
    }

    public NotDicomException(URI file, String message) {
        super(file, message, null);
    }
}
