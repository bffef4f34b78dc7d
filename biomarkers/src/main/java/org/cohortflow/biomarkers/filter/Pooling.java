package org.cohortflow.biomarkers.filter;

import java.util.Arrays;
import java.util.Locale;

/** How IBSI 2 combines the response maps of a filter's rotations (or orientations) into one. */
public enum Pooling {
    /** Voxel-wise maximum. */
    MAX,
    /** Voxel-wise minimum. */
    MIN,
    /** Voxel-wise mean. */
    AVERAGE;

    /** Parses {@code max}, {@code min} or {@code average} (also {@code mean}). */
    public static Pooling parse(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "max" -> MAX;
            case "min" -> MIN;
            case "average", "mean" -> AVERAGE;
            default -> throw new IllegalArgumentException("unknown pooling '" + s + "': expected max, min or average");
        };
    }

    /** An accumulator over maps of {@code n} voxels. */
    Accumulator accumulator(int n) {
        return new Accumulator(this, n);
    }

    /** Folds response maps into their pooled map. */
    static final class Accumulator {
        private final Pooling pooling;
        private final double[] acc;
        private int count;

        Accumulator(Pooling pooling, int n) {
            this.pooling = pooling;
            this.acc = new double[n];
            if (pooling == MAX) Arrays.fill(acc, Double.NEGATIVE_INFINITY);
            if (pooling == MIN) Arrays.fill(acc, Double.POSITIVE_INFINITY);
        }

        void add(double[] map) {
            for (int i = 0; i < acc.length; i++) {
                acc[i] = switch (pooling) {
                    case MAX -> Math.max(acc[i], map[i]);
                    case MIN -> Math.min(acc[i], map[i]);
                    case AVERAGE -> acc[i] + map[i];
                };
            }
            count++;
        }

        double[] result() {
            if (count == 0) throw new IllegalStateException("nothing pooled");
            double[] out = acc.clone();
            if (pooling == AVERAGE) {
                for (int i = 0; i < out.length; i++) out[i] /= count;
            }
            return out;
        }
    }
}
