package org.cohortflow.biomarkers.processing;

import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.settings.Resegmentation;

/** Applies range and outlier re-segmentation to the intensity mask (IBSI 2.5); morphology is untouched. */
public final class Resegmenter {
    private Resegmenter() {
    }

    /** @return the image with a re-segmented intensity mask */
    public static RoiImage apply(RoiImage image, Resegmentation r) {
        boolean[] mask = image.intensityMask();
        if (r.hasRange()) {
            for (int i = 0; i < mask.length; i++) {
                float v = image.intensity(i);
                if (mask[i] && (v < r.lower() || v > r.upper())) mask[i] = false;
            }
        }
        if (!Double.isNaN(r.outlierSigma())) {
            double sum = 0, sum2 = 0;
            int n = 0;
            for (int i = 0; i < mask.length; i++) {
                if (!mask[i]) continue;
                double v = image.intensity(i);
                sum += v;
                sum2 += v * v;
                n++;
            }
            if (n > 0) {
                double mean = sum / n;
                double sd = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
                double lo = mean - r.outlierSigma() * sd, hi = mean + r.outlierSigma() * sd;
                for (int i = 0; i < mask.length; i++) {
                    float v = image.intensity(i);
                    if (mask[i] && (v < lo || v > hi)) mask[i] = false;
                }
            }
        }
        return image.withIntensityMask(mask);
    }

    /** @return the image with intensities rounded to the nearest integer (e.g. CT to whole HU) */
    public static RoiImage round(RoiImage image) {
        float[] v = image.intensities();
        for (int i = 0; i < v.length; i++) v[i] = (float) Math.rint(v[i]);
        return image.withIntensities(v);
    }
}
