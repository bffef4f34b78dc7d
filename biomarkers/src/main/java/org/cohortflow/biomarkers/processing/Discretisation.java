package org.cohortflow.biomarkers.processing;

import java.util.Objects;

/**
 * How intensities become grey levels (IBSI 2.7).
 *
 * @param method     the method
 * @param bins       number of bins for {@link Method#FIXED_BIN_NUMBER}
 * @param binWidth   bin width for {@link Method#FIXED_BIN_SIZE}
 * @param lowerBound lower edge of the first bin for {@link Method#FIXED_BIN_SIZE}; {@code NaN} means
 *                   the smallest intensity in the ROI (IBSI recommends the re-segmentation range's
 *                   lower bound, which {@link org.cohortflow.biomarkers.FeatureExtractor} supplies);
 *                   negative infinity means the largest multiple of the bin width not above the ROI's smallest
 *                   intensity, PyRadiomics' bin origin ({@link #fixedBinSizeFromMultiple})
 */
public record Discretisation(Method method, int bins, double binWidth, double lowerBound) {

    /** Discretisation methods. */
    public enum Method {
        /** The intensities already are grey levels: integers from 1 (e.g. the IBSI digital phantom). */
        NONE,
        /** {@code bins} equal bins between the ROI's minimum and maximum. */
        FIXED_BIN_NUMBER,
        /** Bins of width {@code binWidth} from {@code lowerBound}. */
        FIXED_BIN_SIZE
    }

    public Discretisation {
        Objects.requireNonNull(method, "method");
        if (method == Method.FIXED_BIN_NUMBER && bins < 1) {
            throw new IllegalArgumentException("discretisation.bins must be at least 1, got " + bins);
        }
        if (method == Method.FIXED_BIN_SIZE && !(binWidth > 0 && Double.isFinite(binWidth))) {
            throw new IllegalArgumentException("discretisation.bin_width must be positive, got " + binWidth);
        }
    }

    /** @return no discretisation */
    public static Discretisation none() {
        return new Discretisation(Method.NONE, 0, Double.NaN, Double.NaN);
    }

    /** @return fixed bin number discretisation */
    public static Discretisation fixedBinNumber(int bins) {
        return new Discretisation(Method.FIXED_BIN_NUMBER, bins, Double.NaN, Double.NaN);
    }

    /**
     * Fixed bin size with PyRadiomics' bin origin: bin edges at whole multiples of {@code binWidth}, the first
     * one the largest not above the ROI's smallest intensity ({@code binWidth 25}: an ROI from -37 HU starts at -50).
     */
    public static Discretisation fixedBinSizeFromMultiple(double binWidth) {
        return new Discretisation(Method.FIXED_BIN_SIZE, 0, binWidth, Double.NEGATIVE_INFINITY);
    }

    /** The lower edge of the first bin for an ROI whose smallest intensity is {@code roiMinimum} (fixed bin size). */
    public double lowerBoundFor(double roiMinimum) {
        if (Double.isNaN(lowerBound)) return roiMinimum;
        if (lowerBound == Double.NEGATIVE_INFINITY) return Math.floor(roiMinimum / binWidth) * binWidth;
        return lowerBound;
    }

    /** @return fixed bin size discretisation; {@code lowerBound} may be {@code NaN} */
    public static Discretisation fixedBinSize(double binWidth, double lowerBound) {
        return new Discretisation(Method.FIXED_BIN_SIZE, 0, binWidth, lowerBound);
    }
}
