package org.cohortflow.biomarkers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.intensity.IntensityHistogram;
import org.cohortflow.biomarkers.intensity.IntensityStatistics;
import org.cohortflow.biomarkers.intensity.IntensityVolumeHistogram;
import org.cohortflow.biomarkers.intensity.LocalIntensity;
import org.cohortflow.biomarkers.morphology.MorphologyFeatures;
import org.cohortflow.biomarkers.processing.Discretisation;
import org.cohortflow.biomarkers.processing.Discretiser;
import org.cohortflow.biomarkers.processing.Resampler;
import org.cohortflow.biomarkers.processing.Resegmenter;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.texture.gldzm.GldzmFeatures;
import org.cohortflow.biomarkers.texture.glcm.GlcmFeatures;
import org.cohortflow.biomarkers.texture.glrlm.GlrlmFeatures;
import org.cohortflow.biomarkers.texture.glszm.GlszmFeatures;
import org.cohortflow.biomarkers.texture.ngldm.NgldmFeatures;
import org.cohortflow.biomarkers.texture.ngtdm.NgtdmFeatures;

/**
 * The IBSI-1 chain for one image and ROI: resampling, rounding, re-segmentation, cropping to the
 * ROI, discretisation and all eleven feature families.
 *
 * <p>A family that fails (say, discretisation "none" on non-integer intensities) yields NaN features
 * with the failure as reason; the other families are still computed.
 */
public final class FeatureExtractor {
    private final IbsiSettings settings;

    /** @param settings processing and feature settings */
    public FeatureExtractor(IbsiSettings settings) {
        this.settings = settings;
    }

    /** Runs image processing only: the image every family sees, cropped to the ROI plus a margin. */
    public RoiImage process(RoiImage image) {
        double margin = LocalIntensity.sphereRadiusMm();
        RoiImage processed = image;
        if (settings.resampling() != null) {
            processed = Resampler.resample(processed, settings.resampling(), margin);
        }
        processed = Resegmenter.apply(processed, settings.resegmentation());
        int[] voxels = new int[3];
        for (int a = 0; a < 3; a++) voxels[a] = (int) Math.ceil(margin / processed.spacing(a));
        return processed.cropToRoi(voxels);
    }

    /** Computes every feature for one image and ROI. */
    public List<Feature> extract(RoiImage image) {
        RoiImage roi = process(image);
        List<Feature> out = new ArrayList<>();
        out.addAll(family(FeatureFamily.MORPHOLOGY, () -> MorphologyFeatures.compute(roi)));
        out.addAll(family(FeatureFamily.LOCAL_INTENSITY, () -> LocalIntensity.compute(roi)));
        out.addAll(family(FeatureFamily.INTENSITY_STATISTICS, () -> IntensityStatistics.compute(roi)));
        DiscretisedImage levels;
        DiscretisedImage ivhLevels;
        try {
            levels = Discretiser.apply(roi, withLowerBound(settings.discretisation()));
        } catch (RuntimeException e) {
            levels = null;
            out.addAll(failedFamilies(e, FeatureFamily.INTENSITY_HISTOGRAM, FeatureFamily.GLCM,
                    FeatureFamily.GLRLM, FeatureFamily.GLSZM, FeatureFamily.GLDZM, FeatureFamily.NGTDM,
                    FeatureFamily.NGLDM));
        }
        try {
            ivhLevels = Discretiser.apply(roi, withLowerBound(settings.ivhDiscretisation()));
        } catch (RuntimeException e) {
            ivhLevels = null;
            out.addAll(failedFamilies(e, FeatureFamily.INTENSITY_VOLUME_HISTOGRAM));
        }
        if (levels != null) {
            DiscretisedImage d = levels;
            var t = settings.texture();
            out.addAll(family(FeatureFamily.INTENSITY_HISTOGRAM, () -> IntensityHistogram.compute(d)));
            out.addAll(family(FeatureFamily.GLCM, () -> GlcmFeatures.compute(d, t.glcmDistance())));
            out.addAll(family(FeatureFamily.GLRLM, () -> GlrlmFeatures.compute(d)));
            out.addAll(family(FeatureFamily.GLSZM, () -> GlszmFeatures.compute(d)));
            out.addAll(family(FeatureFamily.GLDZM, () -> GldzmFeatures.compute(d, roi.morphologicalMask())));
            out.addAll(family(FeatureFamily.NGTDM, () -> NgtdmFeatures.compute(d, t.ngtdmDistance())));
            out.addAll(family(FeatureFamily.NGLDM, () -> NgldmFeatures.compute(d, t.ngldmAlpha(), t.ngldmDistance())));
        }
        if (ivhLevels != null) {
            DiscretisedImage d = ivhLevels;
            out.addAll(family(FeatureFamily.INTENSITY_VOLUME_HISTOGRAM, () -> IntensityVolumeHistogram.compute(d)));
        }
        return out;
    }

    private Discretisation withLowerBound(Discretisation d) {
        // IBSI: with fixed bin size the first bin starts at the re-segmentation range's lower bound.
        if (d.method() == Discretisation.Method.FIXED_BIN_SIZE && Double.isNaN(d.lowerBound())
                && Double.isFinite(settings.resegmentation().lower())) {
            return Discretisation.fixedBinSize(d.binWidth(), settings.resegmentation().lower());
        }
        return d;
    }

    private static List<Feature> family(FeatureFamily family, Supplier<FeatureList> computation) {
        try {
            return computation.get().features();
        } catch (RuntimeException e) {
            return FeatureCatalogue.undefined(family, family.shortName() + " failed: " + e.getMessage());
        }
    }

    private static List<Feature> failedFamilies(RuntimeException e, FeatureFamily... families) {
        List<Feature> out = new ArrayList<>();
        for (FeatureFamily f : families) {
            out.addAll(FeatureCatalogue.undefined(f, "discretisation failed: " + e.getMessage()));
        }
        return out;
    }
}
