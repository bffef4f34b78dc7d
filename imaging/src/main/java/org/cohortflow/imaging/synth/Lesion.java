package org.cohortflow.imaging.synth;

import java.util.Arrays;
import java.util.Optional;

/**
 * A solid ellipsoid in patient coordinates (LPS, mm): the ground truth of a synthetic lesion.
 *
 * <p>A point {@code p} is inside when {@code sum_i ((p - centre) . axis_i / radius_i)^2 <= 1}, where
 * {@code axis_i} is column {@code i} of the rotation {@code axes}. A sphere is the special case of three
 * equal radii.
 *
 * @param shape  what the lesion was drawn as (a sphere has equal radii)
 * @param centre LPS centre in mm
 * @param radii  semi-axis lengths in mm, along the columns of {@code axes}
 * @param axes   3x3 rotation, row-major; its columns are the unit principal axes in LPS
 */
public record Lesion(LesionShape shape, double[] centre, double[] radii, double[] axes) {

    /** Validates and copies the arrays. */
    public Lesion {
        if (shape == null) throw new IllegalArgumentException("shape is required");
        if (centre == null || centre.length != 3) throw new IllegalArgumentException("centre must have 3 elements");
        if (radii == null || radii.length != 3) throw new IllegalArgumentException("radii must have 3 elements");
        if (axes == null || axes.length != 9) throw new IllegalArgumentException("axes must have 9 elements (3x3, row-major)");
        for (double r : radii) {
            if (!(r > 0) || Double.isInfinite(r)) throw new IllegalArgumentException("radii must be positive: " + Arrays.toString(radii));
        }
        // R^T R = I: the semi-axes must be perpendicular unit vectors for the volume formula to hold.
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double dot = axes[a] * axes[b] + axes[3 + a] * axes[3 + b] + axes[6 + a] * axes[6 + b];
                if (Math.abs(dot - (a == b ? 1 : 0)) > 1e-9) {
                    throw new IllegalArgumentException("axes are not a rotation: " + Arrays.toString(axes));
                }
            }
        }
        centre = centre.clone();
        radii = radii.clone();
        axes = axes.clone();
    }

    /** An axis-aligned sphere. */
    public static Lesion sphere(double[] centre, double radius) {
        return new Lesion(LesionShape.SPHERE, centre, new double[] {radius, radius, radius}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    }

    @Override public double[] centre() { return centre.clone(); }
    @Override public double[] radii() { return radii.clone(); }
    @Override public double[] axes() { return axes.clone(); }

    /** The analytic volume {@code 4/3 pi a b c} in mm³. */
    public double volume() {
        return 4.0 / 3.0 * Math.PI * radii[0] * radii[1] * radii[2];
    }

    /** The implicit function {@code sum_i (d . axis_i / r_i)^2} at an LPS point: below 1 inside, 1 on the surface. */
    public double level(double x, double y, double z) {
        double dx = x - centre[0], dy = y - centre[1], dz = z - centre[2];
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            double u = (dx * axes[i] + dy * axes[3 + i] + dz * axes[6 + i]) / radii[i];
            sum += u * u;
        }
        return sum;
    }

    /** Whether an LPS point lies inside or on the surface. */
    public boolean contains(double x, double y, double z) {
        return level(x, y, z) <= 1;
    }

    /** Half the extent of the lesion along LPS axis {@code axis} (0 = x, 1 = y, 2 = z), in mm. */
    public double halfExtent(int axis) {
        double s = 0;
        for (int i = 0; i < 3; i++) {
            double v = axes[3 * axis + i] * radii[i];
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /**
     * The cross-section with the axial plane at height {@code z} (LPS mm), or empty when the plane misses
     * the lesion or only touches it.
     */
    public Optional<Ellipse> axialSection(double z) {
        // Quadratic form M = R diag(1/r^2) R^T; fixing z leaves a 2D quadratic whose level set is an ellipse.
        double[] m = new double[9];
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < 3; k++) {
                double s = 0;
                for (int i = 0; i < 3; i++) s += axes[3 * j + i] * axes[3 * k + i] / (radii[i] * radii[i]);
                m[3 * j + k] = s;
            }
        }
        double hz = halfExtent(2);
        double w = z - centre[2];
        // Schur complement: the section shrinks as 1 - (w / half extent)^2.
        double level = 1 - (w / hz) * (w / hz);
        if (level <= 0) return Optional.empty();
        double m11 = m[0], m12 = m[1], m22 = m[4], m13 = m[2], m23 = m[5];
        double det = m11 * m22 - m12 * m12;
        double cx = centre[0] - w * (m22 * m13 - m12 * m23) / det;
        double cy = centre[1] - w * (m11 * m23 - m12 * m13) / det;
        double mean = (m11 + m22) / 2, half = Math.hypot((m11 - m22) / 2, m12);
        double lambdaMax = mean + half, lambdaMin = mean - half;
        double angle = 0.5 * Math.atan2(2 * m12, m11 - m22);
        return Optional.of(new Ellipse(cx, cy, z, Math.sqrt(level / lambdaMax), Math.sqrt(level / lambdaMin), angle));
    }

    /**
     * An ellipse in an axial plane.
     *
     * @param cx    centre x (LPS mm)
     * @param cy    centre y (LPS mm)
     * @param z     height of the plane (LPS mm)
     * @param a     semi-axis along {@code angle}, in mm
     * @param b     semi-axis perpendicular to it, in mm
     * @param angle direction of semi-axis {@code a}, radians from +x towards +y
     */
    public record Ellipse(double cx, double cy, double z, double a, double b, double angle) {

        /** The enclosed area {@code pi a b} in mm². */
        public double area() {
            return Math.PI * a * b;
        }

        /**
         * {@code n} points on the ellipse at equal parameter steps, as x1,y1,z1,x2,... (the layout of DICOM
         * ContourData). The polygon is inscribed, so its area falls short of {@link #area()} by the factor
         * {@code n sin(2 pi / n) / (2 pi)} (0.04% for 128 points).
         */
        public double[] polygon(int n) {
            if (n < 3) throw new IllegalArgumentException("a polygon needs at least 3 points: " + n);
            double[] pts = new double[3 * n];
            double c = Math.cos(angle), s = Math.sin(angle);
            for (int p = 0; p < n; p++) {
                double t = 2 * Math.PI * p / n;
                double u = a * Math.cos(t), v = b * Math.sin(t);
                pts[3 * p] = cx + u * c - v * s;
                pts[3 * p + 1] = cy + u * s + v * c;
                pts[3 * p + 2] = z;
            }
            return pts;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lesion l && shape == l.shape && Arrays.equals(centre, l.centre) && Arrays.equals(radii, l.radii)
                && Arrays.equals(axes, l.axes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * shape.hashCode() + Arrays.hashCode(centre)) + Arrays.hashCode(radii)) + Arrays.hashCode(axes);
    }

    @Override
    public String toString() {
        return "Lesion[" + shape.label() + ", centre=" + Arrays.toString(centre) + ", radii=" + Arrays.toString(radii)
                + ", axes=" + Arrays.toString(axes) + "]";
    }
}
