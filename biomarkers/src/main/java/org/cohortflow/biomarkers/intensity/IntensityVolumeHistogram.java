package org.cohortflow.biomarkers.intensity;

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

    /** Computes V10, V90, I10, I90 and their differences. */
    public static FeatureList compute(DiscretisedImage image) {
        FeatureList out = new FeatureList(FeatureFamily.INTENSITY_VOLUME_HISTOGRAM);
        String v10 = "Volume at intensity fraction [volume fraction at 10% intensity]";
        String v90 = "Volume at intensity fraction [volume fraction at 90% intensity]";
        String i10 = "Intensity at volume fraction [intensity at 10% volume]";
        String i90 = "Intensity at volume fraction [intensity at 90% volume]";
        String vd = "Volume fraction difference between intensity fractions "
                + "[volume fraction difference between 10% and 90% intensity]";
        String id = "Intensity fraction difference between volume fractions "
                + "[intensity difference between 10% and 90% volume]";
        int[] levels = image.roiLevels();
        if (levels.length == 0) {
            for (String[] d : new String[][] {{v10, "BC2M"}, {v90, "BC2M"}, {i10, "GBPN"}, {i90, "GBPN"},
                    {vd, "DDTU"}, {id, "CNV2"}}) {
                out.undefined(new FeatureDefinition(d[0], d[1]), Aggregation.FEATURE_3D, "empty intensity mask");
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
        out.add(v10, "BC2M", Aggregation.FEATURE_3D, vf10);
        out.add(v90, "BC2M", Aggregation.FEATURE_3D, vf90);
        out.add(i10, "GBPN", Aggregation.FEATURE_3D, if10);
        out.add(i90, "GBPN", Aggregation.FEATURE_3D, if90);
        out.add(vd, "DDTU", Aggregation.FEATURE_3D, vf10 - vf90);
        out.add(id, "CNV2", Aggregation.FEATURE_3D, if10 - if90);
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
