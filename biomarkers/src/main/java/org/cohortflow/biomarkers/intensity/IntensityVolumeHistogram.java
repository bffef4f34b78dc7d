package org.cohortflow.biomarkers.intensity;

import java.util.Arrays;
import java.util.List;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.FeatureDefinition;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.processing.Discretisation;
import org.cohortflow.biomarkers.settings.Resegmentation;

/**
 * Intensity-volume histogram features (IBSI 4.5). The volume fraction {@code nu(i)} is the fraction of
 * ROI voxels with discretised intensity at least {@code i}; intensity fractions are relative to the
 * total range {@code G}, which with a re-segmentation range is that range (so CT's IVH is in HU).
 */
public final class IntensityVolumeHistogram {
    private IntensityVolumeHistogram() {
    }

    /**
     * @return the features of this family, in output order; the bracketed parameter is part of
     *         the name because IBSI uses one code for the 10% and 90% variants
     */
    public static List<FeatureDefinition> featureDefinitions() {
        return List.of(
                new FeatureDefinition("Volume at intensity fraction [volume fraction at 10% intensity]", "BC2M"),
                new FeatureDefinition("Volume at intensity fraction [volume fraction at 90% intensity]", "BC2M"),
                new FeatureDefinition("Intensity at volume fraction [intensity at 10% volume]", "GBPN"),
                new FeatureDefinition("Intensity at volume fraction [intensity at 90% volume]", "GBPN"),
                new FeatureDefinition("Volume fraction difference between intensity fractions "
                        + "[volume fraction difference between 10% and 90% intensity]", "DDTU"),
                new FeatureDefinition("Intensity fraction difference between volume fractions "
                        + "[intensity difference between 10% and 90% volume]", "CNV2"));
    }

    /**
     * Computes V10, V90, I10, I90 and their differences on grey levels taken as they are, over the range
     * of grey levels present (the form used before the IVH had its own discretisation; kept for callers
     * holding only a {@link DiscretisedImage}).
     */
    public static FeatureList compute(DiscretisedImage image) {
        int[] levels = image.roiLevels();
        double[] values = new double[levels.length];
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < levels.length; k++) {
            values[k] = levels[k];
            min = Math.min(min, levels[k]);
            max = Math.max(max, levels[k]);
        }
        return compute(values, min, max, 1);
    }

    /**
     * Computes the IVH features of the ROI's intensity mask with IBSI's IVH discretisation (IBSI 4.5):
     * <ul>
     * <li>{@code none} (calibrated, discrete intensities such as CT in HU): the intensities themselves,
     *     which must be integers; the range {@code G} is the re-segmentation range (an open side: the ROI's
     *     extreme), step 1;</li>
     * <li>{@code fixed_bin_size} (calibrated, continuous): each voxel becomes its bin's centre
     *     {@code X_min + (bin - 0.5) w}, in the image's units; {@code X_min} is the bin's lower bound (the
     *     re-segmentation range's lower bound unless set), {@code X_max} the range's upper bound or the
     *     ROI's maximum; {@code G = [X_min + w/2, X_max - w/2]}, step {@code w};</li>
     * <li>{@code fixed_bin_number} (arbitrary units): bin numbers {@code 1..Ng}, {@code G = [1, Ng]}, step 1.</li>
     * </ul>
     *
     * @param roi            the processed image (after re-segmentation)
     * @param discretisation the IVH discretisation, with any lower bound already supplied
     * @param resegmentation the re-segmentation range, which sets {@code G}
     * @throws IllegalArgumentException for {@code none} when an ROI intensity is not an integer
     */
    public static FeatureList compute(RoiImage roi, Discretisation discretisation, Resegmentation resegmentation) {
        double[] x = roi.roiIntensities();
        if (x.length == 0) return compute(x, 0, 0, 1);
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double lower = Double.isFinite(resegmentation.lower()) ? resegmentation.lower() : min;
        double upper = Double.isFinite(resegmentation.upper()) ? resegmentation.upper() : max;
        switch (discretisation.method()) {
            case NONE -> {
                for (double v : x) {
                    if (v != Math.rint(v)) {
                        throw new IllegalArgumentException("ivh.method none needs integer intensities (calibrated,"
                                + " discrete units such as CT in HU), found " + v + "; use fixed_bin_size or fixed_bin_number");
                    }
                }
                return compute(x, lower, upper, 1);
            }
            case FIXED_BIN_SIZE -> {
                double w = discretisation.binWidth();
                double lb = discretisation.lowerBoundFor(lower);
                double[] centres = new double[x.length];
                for (int k = 0; k < x.length; k++) {
                    int bin = Math.max(1, (int) Math.floor((x[k] - lb) / w) + 1);
                    centres[k] = lb + (bin - 0.5) * w;
                }
                return compute(centres, lb + 0.5 * w, upper - 0.5 * w, w);
            }
            case FIXED_BIN_NUMBER -> {
                int bins = discretisation.bins();
                double[] levels = new double[x.length];
                for (int k = 0; k < x.length; k++) {
                    int level = max == min ? 1 : (int) Math.floor(bins * (x[k] - min) / (max - min)) + 1;
                    levels[k] = Math.min(level, bins);
                }
                return compute(levels, 1, bins, 1);
            }
            default -> throw new IllegalStateException(discretisation.method().toString());
        }
    }

    /**
     * The IVH of discretised intensities {@code values}, evaluated at {@code i = lo + k * step} for every
     * {@code i} in {@code G = [lo, hi]} (absent intensities included, as IBSI requires).
     */
    private static FeatureList compute(double[] values, double lo, double hi, double step) {
        FeatureList out = new FeatureList(FeatureFamily.INTENSITY_VOLUME_HISTOGRAM);
        List<FeatureDefinition> defs = featureDefinitions();
        if (values.length == 0) {
            for (FeatureDefinition d : defs) {
                out.undefined(d, Aggregation.FEATURE_3D, "empty intensity mask");
            }
            return out;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int steps = Math.max(0, (int) Math.round((hi - lo) / step));
        double[] intensity = new double[steps + 1];
        double[] volume = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            intensity[k] = lo + k * step;
            // nu_i = 1 - (voxels below i) / N; a tolerance of step/1e6 keeps bin centres computed two ways equal.
            volume[k] = 1.0 - countBelow(sorted, intensity[k] - step * 1e-6) / (double) sorted.length;
        }
        double vf10 = volumeAtIntensityFraction(volume, steps, 0.10);
        double vf90 = volumeAtIntensityFraction(volume, steps, 0.90);
        double if10 = intensityAtVolumeFraction(intensity, volume, 0.10, hi + step);
        double if90 = intensityAtVolumeFraction(intensity, volume, 0.90, hi + step);
        double[] features = {vf10, vf90, if10, if90, vf10 - vf90, if10 - if90};
        for (int k = 0; k < features.length; k++) {
            out.add(defs.get(k), Aggregation.FEATURE_3D, features[k]);
        }
        return out;
    }

    private static int countBelow(double[] sorted, double v) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** The largest volume fraction whose intensity fraction {@code k / steps} is at least {@code fraction}. */
    private static double volumeAtIntensityFraction(double[] volume, int steps, double fraction) {
        if (steps == 0) return volume[0];
        for (int k = 0; k <= steps; k++) {
            if (k / (double) steps >= fraction - 1e-12) return volume[k];
        }
        return 0.0;
    }

    /** The smallest intensity present in at most {@code fraction} of the volume. */
    private static double intensityAtVolumeFraction(double[] intensity, double[] volume, double fraction, double beyond) {
        for (int k = 0; k < intensity.length; k++) {
            if (volume[k] <= fraction + 1e-12) return intensity[k];
        }
        return beyond;
    }
}
