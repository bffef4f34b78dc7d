package org.cohortflow.archive.sink;

import java.nio.file.Path;

/**
 * A DICOM object written for the archive: where it is and its identity.
 *
 * @param file      the Part 10 file
 * @param studyUid  StudyInstanceUID (the source series' study)
 * @param seriesUid SeriesInstanceUID
 * @param sopUid    SOPInstanceUID
 */
public record WrittenObject(Path file, String studyUid, String seriesUid, String sopUid) {}
