package org.cohortflow.biomarkers.filter;

/**
 * A grid of intensities in double precision, x fastest, with its voxel spacing in mm: what filters read and
 * write. The array is owned by the image; filters return new images.
 *
 * @param nx voxels along x (likewise {@code ny}, {@code nz})
 * @param spacing voxel spacing in mm along x, y, z (filter sizes in mm are converted with it)
 * @param values {@code nx * ny * nz} intensities
 */
public record FilterImage(int nx, int ny, int nz, double[] spacing, double[] values) {
    public FilterImage {
        if (values.length != (long) nx * ny * nz) {
            throw new IllegalArgumentException(values.length + " values for " + nx + " x " + ny + " x " + nz);
        }
        if (spacing.length != 3) throw new IllegalArgumentException("spacing needs 3 values");
        spacing = spacing.clone();
    }

    /** The intensities and spacing of {@code volume}. */
    public static FilterImage of(org.cohortflow.imaging.Volume volume) {
        org.cohortflow.imaging.Geometry g = volume.geometry();
        float[] f = volume.toFloatArray();
        double[] v = new double[f.length];
        for (int i = 0; i < v.length; i++) v[i] = f[i];
        return new FilterImage(g.nx(), g.ny(), g.nz(), g.spacing(), v);
    }

    /**
     * This image as a float volume on {@code geometry}'s grid, or, when a filter changed the grid (a decimated
     * wavelet), on the grid with this image's size and spacing that shares {@code geometry}'s first voxel
     * centre and axes.
     */
    public org.cohortflow.imaging.Volume toVolumeOn(org.cohortflow.imaging.Geometry geometry) {
        if (geometry.nx() == nx && geometry.ny() == ny && geometry.nz() == nz) return toVolume(geometry);
        return toVolume(new org.cohortflow.imaging.Geometry(new int[] {nx, ny, nz}, geometry.origin(), spacing.clone(),
                geometry.direction()));
    }

    /** This image as a float volume on {@code geometry} (which must have its size). */
    public org.cohortflow.imaging.Volume toVolume(org.cohortflow.imaging.Geometry geometry) {
        if (geometry.nx() != nx || geometry.ny() != ny || geometry.nz() != nz) {
            throw new IllegalArgumentException("geometry " + geometry + " is not " + nx + " x " + ny + " x " + nz);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return org.cohortflow.imaging.Volume.ofFloats(geometry, f);
    }

    /** An image of the same size and spacing holding {@code v}. */
    public FilterImage with(double[] v) {
        return new FilterImage(nx, ny, nz, spacing, v);
    }

    /** Voxels along {@code axis} (0 = x, 1 = y, 2 = z). */
    public int size(int axis) {
        return axis == 0 ? nx : axis == 1 ? ny : nz;
    }

    /** Spacing along {@code axis} in mm. */
    public double spacing(int axis) {
        return spacing[axis];
    }

    /** Index step between neighbours along {@code axis}. */
    int stride(int axis) {
        return axis == 0 ? 1 : axis == 1 ? nx : nx * ny;
    }
}
