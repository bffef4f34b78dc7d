package org.cohortflow.imaging.synth;

import java.util.List;

/**
 * How synthetic subjects are drawn: the CT grid, the lesion sizes and shapes, and whether the image has
 * texture. Every subject of a cohort shares the grid; lesions vary per subject.
 *
 * <p>The defaults give a 96 x 96 x 48 axial CT at 0.9 x 0.9 x 2.5 mm with one lesion of radii 12-20 mm.
 * The lower radius bound is chosen so that volumes measured on the voxel grid (voxel counts, marching-cubes
 * meshes) stay within 2% of the analytic volume: with slices {@code h} mm apart, the error from where the
 * lesion's poles fall between slices is bounded by about {@code 3 h^2 / (8 r^2)} of the volume (1.6% for
 * h = 2.5 mm, r = 12 mm).
 *
 * @param columns         image columns (x, left to right of the patient)
 * @param rows            image rows (y, anterior to posterior)
 * @param slices          number of axial slices
 * @param pixelSpacingMm  in-plane pixel size in mm (square pixels)
 * @param sliceSpacingMm  distance between slice centres in mm (also the slice thickness)
 * @param minRadiusMm     smallest lesion semi-axis in mm
 * @param maxRadiusMm     largest lesion semi-axis in mm
 * @param shapes          shapes to draw from, uniformly per subject
 * @param texture         whether to add noise and a smooth pattern (otherwise each tissue is one constant value)
 * @param contourPoints   points per RTSTRUCT contour
 */
public record SynthOptions(int columns, int rows, int slices, double pixelSpacingMm, double sliceSpacingMm, double minRadiusMm,
                           double maxRadiusMm, List<LesionShape> shapes, boolean texture, int contourPoints) {

    /** Space (mm) kept between a lesion and the body outline or the first and last slice. */
    static final double MARGIN_MM = 3.0;

    /** Validates; in particular that the largest lesion fits inside the body on the grid. */
    public SynthOptions {
        if (columns < 8 || rows < 8 || slices < 3) {
            throw new IllegalArgumentException("grid too small: " + columns + "x" + rows + "x" + slices + " (at least 8x8x3)");
        }
        if (!(pixelSpacingMm > 0) || !(sliceSpacingMm > 0)) {
            throw new IllegalArgumentException("spacings must be positive: " + pixelSpacingMm + ", " + sliceSpacingMm);
        }
        if (!(minRadiusMm > 0) || maxRadiusMm < minRadiusMm) {
            throw new IllegalArgumentException("need 0 < min radius <= max radius: " + minRadiusMm + ", " + maxRadiusMm);
        }
        shapes = List.copyOf(shapes);
        if (shapes.isEmpty()) throw new IllegalArgumentException("at least one lesion shape is needed");
        if (contourPoints < 8) throw new IllegalArgumentException("contours need at least 8 points: " + contourPoints);
        double room = Math.min(bodySemiAxisX(columns, pixelSpacingMm), bodySemiAxisY(rows, pixelSpacingMm)) - maxRadiusMm - MARGIN_MM;
        double zRoom = (slices - 1) * sliceSpacingMm / 2 - maxRadiusMm - MARGIN_MM;
        if (room < 0 || zRoom < 0) {
            throw new IllegalArgumentException("a lesion of radius " + maxRadiusMm + " mm does not fit in a " + columns + "x" + rows + "x"
                    + slices + " grid at " + pixelSpacingMm + "x" + pixelSpacingMm + "x" + sliceSpacingMm + " mm");
        }
    }

    /** The default grid and lesions (see the class comment). */
    public static SynthOptions defaults() {
        return new SynthOptions(96, 96, 48, 0.9, 2.5, 12.0, 20.0, List.of(LesionShape.SPHERE, LesionShape.ELLIPSOID), true, 128);
    }

    /** These options with lesions drawn only from {@code shapes}. */
    public SynthOptions withShapes(List<LesionShape> shapes) {
        return new SynthOptions(columns, rows, slices, pixelSpacingMm, sliceSpacingMm, minRadiusMm, maxRadiusMm, shapes, texture,
                contourPoints);
    }

    /** These options with or without texture. */
    public SynthOptions withTexture(boolean texture) {
        return new SynthOptions(columns, rows, slices, pixelSpacingMm, sliceSpacingMm, minRadiusMm, maxRadiusMm, shapes, texture,
                contourPoints);
    }

    /** These options with lesion semi-axes drawn from {@code [min, max]} mm. */
    public SynthOptions withRadii(double min, double max) {
        return new SynthOptions(columns, rows, slices, pixelSpacingMm, sliceSpacingMm, min, max, shapes, texture, contourPoints);
    }

    /** These options on another grid. */
    public SynthOptions withGrid(int columns, int rows, int slices, double pixelSpacingMm, double sliceSpacingMm) {
        return new SynthOptions(columns, rows, slices, pixelSpacingMm, sliceSpacingMm, minRadiusMm, maxRadiusMm, shapes, texture,
                contourPoints);
    }

    // The body is an elliptical cylinder filling most of the field of view, leaving air in the corners.
    static double bodySemiAxisX(int columns, double pixelSpacingMm) {
        return 0.47 * columns * pixelSpacingMm;
    }

    static double bodySemiAxisY(int rows, double pixelSpacingMm) {
        return 0.42 * rows * pixelSpacingMm;
    }
}
