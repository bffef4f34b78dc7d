/** NIfTI-1 and NIfTI-2 single-file images ({@code .nii}, {@code .nii.gz}) as LPS volumes and masks; see {@link org.cohortflow.imaging.nifti.Nifti}. */
package org.cohortflow.imaging.nifti;
