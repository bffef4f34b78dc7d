/**
 * Images in patient space: {@link org.cohortflow.imaging.Volume} (voxels on a {@link org.cohortflow.imaging.Geometry}
 * in DICOM LPS coordinates) and {@link org.cohortflow.imaging.Mask} (a region on the same grid). Readers and writers
 * live in the feature packages: {@code nifti} (NIfTI-1/2), {@code dicom} (series via PixelMed), {@code rtstruct}
 * (RT Structure Sets to masks) and {@code index} (cohort discovery). Every reader reports bad input as an
 * {@link org.cohortflow.imaging.ImagingException} naming the file.
 */
package org.cohortflow.imaging;
