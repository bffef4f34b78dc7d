/**
 * Results back to the archive: a mask as a DICOM Segmentation and a table of values (e.g. radiomics features) as a
 * DICOM Comprehensive Structured Report, both referencing their source series (study, series and instance UIDs,
 * frame of reference), with UIDs derived from their content so that storing a rerun's results again does not
 * duplicate them; and the pipeline tools that make and store them (STOW-RS).
 */
package org.cohortflow.archive.sink;
