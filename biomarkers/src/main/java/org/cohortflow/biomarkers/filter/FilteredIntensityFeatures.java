package org.cohortflow.biomarkers.filter;

import java.util.ArrayList;
import java.util.List;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.intensity.IntensityStatistics;
import org.cohortflow.biomarkers.processing.Resampler;
import org.cohortflow.biomarkers.processing.Resegmenter;
import org.cohortflow.biomarkers.settings.IbsiSettings;

/**
 * Intensity statistics of a filter's response map in IBSI 2's processing order: resampling (and rounding) of
 * the whole image as the settings say, re-segmentation of the ROI's intensity mask, the filter on the whole
 * resampled image, then the statistics over the ROI on the response map. Each feature's name starts with the
 * filter and its parameters ({@link ImageFilter#name()}), e.g. {@code log_3D_s3mm_d4_mirror/mean}, so rows of
 * several filters stay apart; the IBSI code is the statistic's.
 */
public final class FilteredIntensityFeatures {
    private FilteredIntensityFeatures() {
    }

    /** The intensity statistics of {@code filter}'s response map over the ROI of {@code image}. */
    public static List<Feature> compute(RoiImage image, IbsiSettings settings, ImageFilter filter) {
        RoiImage processed = image;
        if (settings.resampling() != null) {
            // The filter sees the whole image, so the whole image is resampled (a margin as large as the image).
            double extent = 0;
            for (int a = 0; a < 3; a++) extent = Math.max(extent, image.dims()[a] * image.spacing(a));
            processed = Resampler.resample(processed, settings.resampling(), extent);
        }
        processed = Resegmenter.apply(processed, settings.resegmentation());
        float[] f = processed.intensities();
        double[] v = new double[f.length];
        for (int i = 0; i < v.length; i++) v[i] = f[i];
        FilterImage response = filter.apply(new FilterImage(processed.nx(), processed.ny(), processed.nz(), processed.spacing(), v));
        if (response.values().length != v.length) {
            throw new IllegalArgumentException("filter " + filter.name() + " changes the grid (a decimated wavelet): "
                    + "ROI features need a response map on the image's grid");
        }
        float[] r = new float[v.length];
        for (int i = 0; i < r.length; i++) r[i] = (float) response.values()[i];
        List<Feature> out = new ArrayList<>();
        for (Feature x : IntensityStatistics.compute(processed.withIntensities(r)).features()) {
            out.add(new Feature(x.family(), filter.name() + "/" + x.name(), x.ibsiCode(), x.aggregation(), x.value(), x.reason()));
        }
        return out;
    }
}
