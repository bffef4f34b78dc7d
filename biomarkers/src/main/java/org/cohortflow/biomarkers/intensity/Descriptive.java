package org.cohortflow.biomarkers.intensity;

import java.util.Arrays;

/**
 * Distribution statistics shared by the intensity statistics and intensity histogram families.
 * Percentiles interpolate linearly between order statistics (numpy's default).
 */
final class Descriptive {
    final double[] sorted;
    final double mean;
    final double m2;
    final double m3;
    final double m4;

    Descriptive(double[] values) {
        sorted = values.clone();
        Arrays.sort(sorted);
        double s = 0;
        for (double v : sorted) s += v;
        mean = s / sorted.length;
        double a = 0, b = 0, c = 0;
        for (double v : sorted) {
            double d = v - mean;
            a += d * d;
            b += d * d * d;
            c += d * d * d * d;
        }
        m2 = a / sorted.length;
        m3 = b / sorted.length;
        m4 = c / sorted.length;
    }

    int n() { return sorted.length; }

    double percentile(double q) {
        double pos = q / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    double skewness() { return m3 / Math.pow(m2, 1.5); }

    double kurtosis() { return m4 / (m2 * m2) - 3; }

    double meanAbsoluteDeviation() {
        double s = 0;
        for (double v : sorted) s += Math.abs(v - mean);
        return s / sorted.length;
    }

    double robustMeanAbsoluteDeviation() {
        double p10 = percentile(10), p90 = percentile(90);
        double s = 0;
        int n = 0;
        for (double v : sorted) {
            if (v >= p10 && v <= p90) {
                s += v;
                n++;
            }
        }
        double m = s / n;
        double d = 0;
        for (double v : sorted) {
            if (v >= p10 && v <= p90) d += Math.abs(v - m);
        }
        return d / n;
    }

    double medianAbsoluteDeviation() {
        double med = percentile(50);
        double s = 0;
        for (double v : sorted) s += Math.abs(v - med);
        return s / sorted.length;
    }

    double quartileCoefficientOfDispersion() {
        double p25 = percentile(25), p75 = percentile(75);
        return (p75 - p25) / (p75 + p25);
    }
}
