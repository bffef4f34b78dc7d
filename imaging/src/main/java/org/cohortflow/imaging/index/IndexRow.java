package org.cohortflow.imaging.index;

import java.io.Serializable;
import java.net.URI;
import org.cohortflow.imaging.ImagingException;

/**
 * One DICOM file of a cohort index: where it is (an absolute URI, local or not) and the identifiers and sizes
 * read from its header. Missing attributes are empty strings; {@code rows}/{@code columns} are null for
 * non-image objects.
 */
public record IndexRow(URI file, String patientId, String studyUid, String seriesUid, String sopUid, String modality,
                       Integer rows, Integer columns, String seriesDescription) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The file as the index CSV names it: a plain path for a local file, the URI otherwise. */
    public String location() {
        return ImagingException.displayName(file);
    }
}
