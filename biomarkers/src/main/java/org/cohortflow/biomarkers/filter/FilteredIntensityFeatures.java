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
        RoiImage response = responseMap(processWhole(image, settings), filter);
        List<Feature> out = new ArrayList<>();
        for (Feature x : IntensityStatistics.compute(response).features()) out.add(named(filter, x));
        return out;
    }

    /**
     * The whole image resampled (with rounding) and its ROI re-segmented as {@code settings} say: what IBSI 2's
     * filters see. Unlike the image's own features, nothing is cropped, since a filter's response at the ROI
     * depends on intensities around it.
     */
    public static RoiImage processWhole(RoiImage image, IbsiSettings settings) {
        RoiImage processed = image;
        if (settings.resampling() != null) {
            // The filter sees the whole image, so the whole image is resampled (a margin as large as the image).
            double extent = 0;
            for (int a = 0; a < 3; a++) extent = Math.max(extent, image.dims()[a] * image.spacing(a));
            processed = Resampler.resample(processed, settings.resampling(), extent);
        }
        return Resegmenter.apply(processed, settings.resegmentation());
    }

    /**
     * {@code image} with its intensities replaced by {@code filter}'s response (the masks kept). A filter that
     * changes the grid (a decimated wavelet) is refused: ROI features need the map on the image's grid.
     */
    public static RoiImage responseMap(RoiImage image, ImageFilter filter) {
        float[] f = image.intensities();
        double[] v = new double[f.length];
        for (int i = 0; i < v.length; i++) v[i] = f[i];
        FilterImage response = filter.apply(new FilterImage(image.nx(), image.ny(), image.nz(), image.spacing(), v));
        if (response.values().length != v.length) {
            throw new IllegalArgumentException("filter " + filter.name() + " changes the grid (a decimated wavelet): "
                    + "ROI features need a response map on the image's grid");
        }
        float[] r = new float[v.length];
        for (int i = 0; i < r.length; i++) r[i] = (float) response.values()[i];
        return image.withIntensities(r);
    }

    /** {@code feature} of {@code filter}'s response map, its name prefixed with the filter's and a slash. */
    public static Feature named(ImageFilter filter, Feature feature) {
        return new Feature(feature.family(), filter.name() + "/" + feature.name(), feature.ibsiCode(), feature.aggregation(),
                feature.value(), feature.reason());
    }
}
