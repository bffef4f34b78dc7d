package org.cohortflow.biomarkers.adapter;

import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;

/**
 * Converts the imaging module's {@link Volume} and {@link Mask} into a {@link RoiImage}. Voxel order
 * and axes are kept: the volume's third axis is the slice axis for 2D and 2.5D features, which is
 * how NIfTI volumes and DICOM series are stacked.
 */
public final class ImagingAdapter {
    private ImagingAdapter() {
    }

    /** One mask serves as both intensity and morphological mask. */
    public static RoiImage toRoiImage(Volume volume, Mask mask) {
        return toRoiImage(volume, mask, mask);
    }

    /**
     * @param volume            the image
     * @param intensityMask     mask for the intensity and texture families
     * @param morphologicalMask mask for morphology
     * @throws IllegalArgumentException when a mask is not on the volume's grid
     */
    public static RoiImage toRoiImage(Volume volume, Mask intensityMask, Mask morphologicalMask) {
        Geometry g = volume.geometry();
        requireSameGrid(g, intensityMask, "intensity mask");
        requireSameGrid(g, morphologicalMask, "morphological mask");
        int n = g.voxelCount();
        boolean[] im = new boolean[n];
        boolean[] mm = new boolean[n];
        for (int i = 0; i < n; i++) {
            im[i] = intensityMask.contains(i);
            mm[i] = morphologicalMask.contains(i);
        }
        return new RoiImage(g.dims(), g.spacing(), volume.toFloatArray(), im, mm);
    }

    private static void requireSameGrid(Geometry g, Mask m, String what) {
        if (!g.sameGrid(m.geometry(), Mask.GRID_TOLERANCE_MM)) {
            throw new IllegalArgumentException(what + " is not on the image grid: " + g.mismatch(m.geometry(),
                    Mask.GRID_TOLERANCE_MM));
        }
    }
}
