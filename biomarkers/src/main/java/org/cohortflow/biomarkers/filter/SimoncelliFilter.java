package org.cohortflow.biomarkers.filter;

import java.util.Locale;

/**
 * IBSI 2's Simoncelli wavelet, non-separable and isotropic, defined by its frequency response: the band-pass
 * {@code psi(w) = cos(pi/2 log2(2 |w| / pi))} for {@code pi/4 < |w| <= pi} (else 0), at level {@code j}
 * {@code psi(2^(j - 1) w)}, with {@code w} in radians per voxel. Applied by FFT ({@link Spectral}); being
 * isotropic it is rotation invariant by construction. The response is sampled on IBSI's frequency grid of
 * {@code n} points from {@code -pi} to {@code pi} inclusive per axis (spacing {@code 2 pi / (n - 1)}), not on the
 * DFT's own ({@code 2 pi / n}): with the DFT's grid levels 2 and 3 of the phase 1 tests miss the tolerance
 * (up to 16 % of the range), with IBSI's they match to 1e-5; the real part of the result is the response map.
 *
 * @param level the decomposition level, 1 or more
 * @param planar true for the 2D wavelet in each slice
 * @param boundary the boundary condition
 */
public record SimoncelliFilter(int level, boolean planar, Boundary boundary) implements ImageFilter {
    public SimoncelliFilter {
        if (level < 1) throw new IllegalArgumentException("Simoncelli level must be >= 1: " + level);
    }

    /** The band-pass response at radial frequency {@code r} (radians per voxel) of this level. */
    double band(double r) {
        double w = r * (1 << (level - 1));
        if (w <= Math.PI / 4 || w >= Math.PI) return 0;
        return Math.cos(Math.PI / 2 * (Math.log(2 * w / Math.PI) / Math.log(2)));
    }

    @Override
    public FilterImage apply(FilterImage image) {
        if (planar) {
            // One slice at a time is the same as a 3D response that ignores wz, applied on slices that do
            // not mix: a z-independent response leaves each slice's content in its slice.
            return image.with(Spectral.apply(image, true, (wx, wy, wz, out) -> {
                out[0] = band(Math.hypot(wx, wy));
                out[1] = 0;
            }, boundary)[0]);
        }
        return image.with(Spectral.apply(image, true, (wx, wy, wz, out) -> {
            out[0] = band(Math.sqrt(wx * wx + wy * wy + wz * wz));
            out[1] = 0;
        }, boundary)[0]);
    }

    @Override
    public String name() {
        return "simoncelli_" + (planar ? "2D" : "3D") + "_level" + level + "_" + boundary.name().toLowerCase(Locale.ROOT);
    }
}
