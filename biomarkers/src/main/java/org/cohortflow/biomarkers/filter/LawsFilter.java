package org.cohortflow.biomarkers.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * IBSI 2's Laws kernels: one normalised 1D kernel per axis ({@code E5L5S5}: E5 along x, L5 along y, S5 along
 * z; two kernels for 2D, in each slice), optionally pooled over the rotations of the kernel and optionally
 * turned into an energy map: the mean absolute response over a cube (square in 2D) of Chebyshev radius
 * {@code energyDistance} voxels with the same boundary condition, computed on the (pooled) response.
 *
 * @param kernels the 1D kernel names per axis, e.g. {@code [E5, L5, S5]}
 * @param boundary the boundary condition
 * @param pooling rotation-invariance pooling over the 24 (3D) or 4 (2D) right-angle rotations, or null
 * @param energyDistance the energy map's radius δ in voxels, or 0 for the plain response
 */
public record LawsFilter(List<String> kernels, Boundary boundary, Pooling pooling, int energyDistance) implements ImageFilter {

    /** IBSI 2's Laws kernels, each normalised to unit Euclidean norm. */
    static final Map<String, double[]> KERNELS = Map.of(
            "L3", scaled(1 / Math.sqrt(6), 1, 2, 1),
            "E3", scaled(1 / Math.sqrt(2), -1, 0, 1),
            "S3", scaled(1 / Math.sqrt(6), -1, 2, -1),
            "L5", scaled(1 / Math.sqrt(70), 1, 4, 6, 4, 1),
            "E5", scaled(1 / Math.sqrt(10), -1, -2, 0, 2, 1),
            "S5", scaled(1 / Math.sqrt(6), -1, 0, 2, 0, -1),
            "W5", scaled(1 / Math.sqrt(10), -1, 2, 0, -2, 1),
            "R5", scaled(1 / Math.sqrt(70), 1, -4, 6, -4, 1));

    public LawsFilter {
        kernels = List.copyOf(kernels);
        if (kernels.size() != 2 && kernels.size() != 3) {
            throw new IllegalArgumentException("Laws filters take 2 (2D) or 3 (3D) kernels: " + kernels);
        }
        for (String k : kernels) {
            if (!KERNELS.containsKey(k)) throw new IllegalArgumentException("unknown Laws kernel '" + k + "': expected one of "
                    + new java.util.TreeSet<>(KERNELS.keySet()));
        }
        if (energyDistance < 0) throw new IllegalArgumentException("Laws energy distance must be >= 0: " + energyDistance);
    }

    /** Parses a kernel combination such as {@code E5L5S5} or {@code L5S5}. */
    public static List<String> parseKernels(String combination) {
        String s = combination.trim().toUpperCase(Locale.ROOT);
        if (s.length() % 2 != 0) throw new IllegalArgumentException("Laws kernels are two characters each: " + combination);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i += 2) out.add(s.substring(i, i + 2));
        return out;
    }

    /** Whether the filter works in the x-y plane of each slice. */
    public boolean planar() {
        return kernels.size() == 2;
    }

    @Override
    public FilterImage apply(FilterImage image) {
        int dims = kernels.size();
        FilterImage response;
        if (pooling == null) {
            response = rotated(image, new Rotations.Rotation(dims == 2 ? new int[] {0, 1} : new int[] {0, 1, 2}, new boolean[dims]));
        } else {
            Pooling.Accumulator acc = pooling.accumulator(image.values().length);
            for (Rotations.Rotation r : Rotations.all(dims)) acc.add(rotated(image, r).values());
            response = image.with(acc.result());
        }
        if (energyDistance == 0) return response;
        double[] abs = response.values().clone();
        for (int i = 0; i < abs.length; i++) abs[i] = Math.abs(abs[i]);
        return new MeanFilter(2 * energyDistance + 1, planar(), boundary).apply(response.with(abs));
    }

    private FilterImage rotated(FilterImage image, Rotations.Rotation r) {
        double[][] perAxis = new double[3][];
        for (int a = 0; a < kernels.size(); a++) {
            double[] k = KERNELS.get(kernels.get(a));
            perAxis[r.axis()[a]] = r.flip()[a] ? reversed(k) : k;
        }
        return Convolution.separable(image, perAxis, boundary);
    }

    @Override
    public String name() {
        return "laws_" + String.join("", kernels) + (pooling == null ? "" : "_" + pooling.name().toLowerCase(Locale.ROOT) + "pool")
                + (energyDistance == 0 ? "" : "_energy" + energyDistance) + "_" + boundary.name().toLowerCase(Locale.ROOT);
    }

    private static double[] scaled(double f, double... v) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) out[i] *= f;
        return out;
    }

    static double[] reversed(double[] k) {
        double[] out = new double[k.length];
        for (int i = 0; i < k.length; i++) out[i] = k[k.length - 1 - i];
        return out;
    }
}
