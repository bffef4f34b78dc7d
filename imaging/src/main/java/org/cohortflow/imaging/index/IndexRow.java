package org.cohortflow.imaging.index;

import java.nio.file.Path;

/**
 * One DICOM file of a cohort index: where it is and the identifiers and sizes read from its header.
 * Missing attributes are empty strings; {@code rows}/{@code columns} are null for non-image objects.
 */
public record IndexRow(Path path, String patientId, String studyUid, String seriesUid, String sopUid, String modality,
                       Integer rows, Integer columns, String seriesDescription) {
}
