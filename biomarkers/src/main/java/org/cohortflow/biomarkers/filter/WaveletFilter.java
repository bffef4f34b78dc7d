package org.cohortflow.biomarkers.filter;

import java.util.Locale;
import java.util.Map;

/**
 * IBSI 2's separable wavelets, undecimated (à trous): sub-band {@code LHL} at level {@code j} is, along each
 * axis, the low-pass filter of levels 1 to {@code j - 1} followed by the letter's filter of level {@code j}, each
 * level's filters dilated by {@code 2^(level - 1)} (zeros between the taps); the per-axis chains are combined
 * into one kernel per axis and applied to the image with the boundary condition. Letters run x, y, z (two
 * letters: 2D, in each slice). Rotation invariance pools the sub-band over the right-angle rotations of its
 * kernel (24 in 3D, 4 in 2D).
 *
 * @param wavelet {@code haar}, {@code db1}..{@code db3}, {@code coif1}
 * @param subband e.g. {@code LHL} (3D) or {@code HL} (2D)
 * @param level the decomposition level, 1 or more
 * @param pooling rotation-invariance pooling, or null
 * @param boundary the boundary condition
 * @param decimated whether to keep only every {@code 2^level}-th voxel along each filtered axis (the decimated
 *     transform): the response map then has its own, coarser grid (see {@link #decimate})
 */
public record WaveletFilter(String wavelet, String subband, int level, Pooling pooling, Boundary boundary, boolean decimated)
        implements ImageFilter {

    /** Decomposition low-pass filters (PyWavelets' {@code dec_lo}); the high-pass is their quadrature mirror. */
    static final Map<String, double[]> LOW_PASS = Map.of(
            "haar", new double[] {0.7071067811865476, 0.7071067811865476},
            "db1", new double[] {0.7071067811865476, 0.7071067811865476},
            "db2", new double[] {-0.12940952255126037, 0.2241438680420134, 0.8365163037378079, 0.48296291314453416},
            "db3", new double[] {0.03522629188570953, -0.08544127388202666, -0.13501102001025458, 0.45987750211849154,
                    0.8068915093110925, 0.33267055295008263},
            "coif1", new double[] {-0.01565572813546454, -0.0727326195128539, 0.38486484686420286, 0.8525720202122554,
                    0.3378976624578092, -0.0727326195128539});

    public WaveletFilter {
        wavelet = wavelet.trim().toLowerCase(Locale.ROOT);
        subband = subband.trim().toUpperCase(Locale.ROOT);
        if (!LOW_PASS.containsKey(wavelet)) {
            throw new IllegalArgumentException("unknown wavelet '" + wavelet + "': expected one of " + new java.util.TreeSet<>(LOW_PASS.keySet()));
        }
        if (!subband.matches("[LH]{2,3}")) throw new IllegalArgumentException("wavelet sub-band must be 2 or 3 of L/H: " + subband);
        if (level < 1) throw new IllegalArgumentException("wavelet level must be >= 1: " + level);
    }

    /** The decomposition high-pass filter: {@code g[k] = (-1)^(k+1) h[L - 1 - k]} (PyWavelets' {@code dec_hi}). */
    static double[] highPass(double[] h) {
        int n = h.length;
        double[] g = new double[n];
        for (int k = 0; k < n; k++) g[k] = (k % 2 == 0 ? -1 : 1) * h[n - 1 - k];
        return g;
    }

    /** The undecimated filter with these parameters. */
    public WaveletFilter(String wavelet, String subband, int level, Pooling pooling, Boundary boundary) {
        this(wavelet, subband, level, pooling, boundary, false);
    }

    @Override
    public FilterImage apply(FilterImage image) {
        FilterImage u = undecimated(image);
        return decimated ? decimate(u) : u;
    }

    /**
     * The decimated map: voxel {@code k} of the new grid is voxel {@code 2^level k} of the undecimated one (the
     * first of the block of {@code 2^level} voxels it stands for), so the new grid keeps the first voxel's
     * centre and multiplies the spacing by {@code 2^level} along each filtered axis. Decimation is sampling the
     * undecimated transform (the à trous algorithm computes exactly the decimated coefficients at these
     * positions, up to the phase); IBSI 2 phase 1 has no decimated test, so the phase is our choice.
     */
    FilterImage decimate(FilterImage u) {
        int step = 1 << level;
        int dims = subband.length();
        int[] n = {u.nx(), u.ny(), u.nz()};
        int[] m = new int[3];
        int[] s = new int[3];
        double[] spacing = new double[3];
        for (int a = 0; a < 3; a++) {
            s[a] = a < dims ? step : 1;
            m[a] = (n[a] + s[a] - 1) / s[a];
            spacing[a] = u.spacing(a) * s[a];
        }
        double[] out = new double[m[0] * m[1] * m[2]];
        double[] v = u.values();
        for (int z = 0; z < m[2]; z++) {
            for (int y = 0; y < m[1]; y++) {
                for (int x = 0; x < m[0]; x++) {
                    out[x + m[0] * (y + m[1] * z)] = v[x * s[0] + n[0] * (y * s[1] + n[1] * z * s[2])];
                }
            }
        }
        return new FilterImage(m[0], m[1], m[2], spacing, out);
    }

    private FilterImage undecimated(FilterImage image) {
        int dims = subband.length();
        double[][] kernels = new double[dims][];
        int[] origins = new int[dims];
        for (int a = 0; a < dims; a++) {
            Chain c = chain(subband.charAt(a) == 'H');
            kernels[a] = c.kernel;
            origins[a] = c.origin;
        }
        if (pooling == null) return Convolution.separable(image, pad(kernels), pad(origins), boundary);
        Pooling.Accumulator acc = pooling.accumulator(image.values().length);
        for (Rotations.Rotation r : Rotations.all(dims)) {
            double[][] k = new double[3][];
            int[] o = new int[3];
            for (int a = 0; a < dims; a++) {
                int to = r.axis()[a];
                k[to] = r.flip()[a] ? LawsFilter.reversed(kernels[a]) : kernels[a];
                o[to] = r.flip()[a] ? kernels[a].length - 1 - origins[a] : origins[a];
            }
            acc.add(Convolution.separable(image, k, o, boundary).values());
        }
        return image.with(acc.result());
    }

    /** One axis's kernel: the chain of dilated filters, and the tap that sits on the output voxel. */
    private record Chain(double[] kernel, int origin) {
    }

    private Chain chain(boolean high) {
        double[] h = LOW_PASS.get(wavelet);
        double[] kernel = {1};
        int origin = 0;
        for (int l = 1; l <= level; l++) {
            double[] f = dilate(l == level && high ? highPass(h) : h, 1 << (l - 1));
            kernel = convolve(kernel, f);
            origin += origin(h.length) << (l - 1);
        }
        return new Chain(kernel, origin);
    }

    /** The tap of an undilated filter of {@code length} taps that sits on the output voxel. */
    static int origin(int length) {
        return length / 2;
    }

    private static double[] dilate(double[] f, int step) {
        double[] out = new double[(f.length - 1) * step + 1];
        for (int i = 0; i < f.length; i++) out[i * step] = f[i];
        return out;
    }

    private static double[] convolve(double[] a, double[] b) {
        double[] out = new double[a.length + b.length - 1];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
        }
        return out;
    }

    private static double[][] pad(double[][] k) {
        return k.length == 3 ? k : new double[][] {k[0], k[1], null};
    }

    private static int[] pad(int[] o) {
        return o.length == 3 ? o : new int[] {o[0], o[1], 0};
    }

    @Override
    public String name() {
        return "wavelet_" + wavelet + "_" + subband + "_level" + level
                + (pooling == null ? "" : "_" + pooling.name().toLowerCase(Locale.ROOT) + "pool") + (decimated ? "_decimated_" : "_undecimated_")
                + boundary.name().toLowerCase(Locale.ROOT);
    }
}
