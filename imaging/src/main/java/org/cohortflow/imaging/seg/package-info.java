/**
 * DICOM Segmentations read as masks, one segment at a time, on the grid of the series they segment; see
 * {@link org.cohortflow.imaging.seg.Segmentation}. Only binary segmentations are read; frames are placed on the
 * series' slices by their Image Position (Patient), and a segmentation of another frame of reference is refused.
 */
package org.cohortflow.imaging.seg;
