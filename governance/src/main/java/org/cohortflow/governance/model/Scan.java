package org.cohortflow.governance.model;

import java.time.Instant;

/**
 * A scan (series) of an experiment and where the archive keeps it.
 *
 * @param id           database id
 * @param experimentId its experiment
 * @param label        label, unique in the experiment (e.g. {@code ct}, {@code rtstruct})
 * @param modality     DICOM modality or a free type ({@code CT}, {@code RTSTRUCT}, {@code NIFTI})
 * @param kind         {@code dicomweb} (a DICOMweb series URL), {@code folder} or {@code file}
 * @param url          the archive reference
 * @param created      when
 */
public record Scan(long id, long experimentId, String label, String modality, String kind, String url, Instant created) {}
