package org.cohortflow.imaging.nifti;

import org.cohortflow.imaging.Volume;

/**
 * A NIfTI file as read: its header (for the datatype and codes, e.g. to write it back the same way) and
 * the volume in LPS.
 */
public record NiftiImage(NiftiHeader header, Volume volume) {
}
