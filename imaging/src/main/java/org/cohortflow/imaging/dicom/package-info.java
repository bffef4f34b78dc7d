/**
 * DICOM image series through PixelMed: header-only scanning and grouping ({@link org.cohortflow.imaging.dicom.DicomSeriesReader#scan}),
 * grid checks ({@link org.cohortflow.imaging.dicom.DicomSeries#problems()}) and pixel reading into volumes.
 */
package org.cohortflow.imaging.dicom;
