package org.cohortflow.biomarkers.intensity;

import java.util.List;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.FeatureDefinition;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.DiscretisedImage;

/**
 * Intensity-volume histogram features (IBSI 3.5) on discretised grey levels. The volume fraction
 * {@code V(i)} is the fraction of ROI voxels with grey level at least {@code i}; intensity
 * fractions are relative to the ROI's smallest and largest grey level.
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

    /** Computes V10, V90, I10, I90 and their differences. */
    public static FeatureList compute(DiscretisedImage image) {
        FeatureList out = new FeatureList(FeatureFamily.INTENSITY_VOLUME_HISTOGRAM);
        List<FeatureDefinition> defs = featureDefinitions();
        int[] levels = image.roiLevels();
        if (levels.length == 0) {
            for (FeatureDefinition d : defs) {
                out.undefined(d, Aggregation.FEATURE_3D, "empty intensity mask");
            }
            return out;
        }
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int l : levels) {
            min = Math.min(min, l);
            max = Math.max(max, l);
        }
        // atLeast[i - min] = voxels with grey level >= i
        double[] atLeast = new double[max - min + 2];
        for (int l : levels) atLeast[l - min]++;
        for (int k = atLeast.length - 2; k >= 0; k--) atLeast[k] += atLeast[k + 1];
        double n = levels.length;
        double vf10 = volumeAtIntensityFraction(atLeast, n, min, max, 0.10);
        double vf90 = volumeAtIntensityFraction(atLeast, n, min, max, 0.90);
        double if10 = intensityAtVolumeFraction(atLeast, n, min, max, 0.10);
        double if90 = intensityAtVolumeFraction(atLeast, n, min, max, 0.90);
        double[] values = {vf10, vf90, if10, if90, vf10 - vf90, if10 - if90};
        for (int k = 0; k < values.length; k++) {
            out.add(defs.get(k), Aggregation.FEATURE_3D, values[k]);
        }
        return out;
    }

    private static double volumeAtIntensityFraction(double[] atLeast, double n, int min, int max, double fraction) {
        if (max == min) return 1.0;
        double threshold = min + fraction * (max - min);
        int first = (int) Math.ceil(threshold - 1e-12);
        if (first > max) return 0.0;
        return atLeast[Math.max(first, min) - min] / n;
    }

    private static double intensityAtVolumeFraction(double[] atLeast, double n, int min, int max, double fraction) {
        for (int i = min; i <= max + 1; i++) {
            if (atLeast[i - min] / n <= fraction) return i;
        }
        return max + 1;
    }
}
