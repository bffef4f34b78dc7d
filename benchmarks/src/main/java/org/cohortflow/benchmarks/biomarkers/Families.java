package org.cohortflow.benchmarks.biomarkers;

import java.util.List;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.intensity.IntensityHistogram;
import org.cohortflow.biomarkers.intensity.IntensityStatistics;
import org.cohortflow.biomarkers.intensity.IntensityVolumeHistogram;
import org.cohortflow.biomarkers.intensity.LocalIntensity;
import org.cohortflow.biomarkers.morphology.MorphologyFeatures;
import org.cohortflow.biomarkers.settings.TextureSettings;
import org.cohortflow.biomarkers.texture.glcm.GlcmFeatures;
import org.cohortflow.biomarkers.texture.gldzm.GldzmFeatures;
import org.cohortflow.biomarkers.texture.glrlm.GlrlmFeatures;
import org.cohortflow.biomarkers.texture.glszm.GlszmFeatures;
import org.cohortflow.biomarkers.texture.ngldm.NgldmFeatures;
import org.cohortflow.biomarkers.texture.ngtdm.NgtdmFeatures;

/**
 * One IBSI family at a time, called the way {@code FeatureExtractor} calls it, so that benchmarks can
 * time the families separately on an already processed and discretised image.
 */
final class Families {
    /** The eleven families in FeatureExtractor's output order. */
    static final List<FeatureFamily> ALL = List.of(FeatureFamily.MORPHOLOGY, FeatureFamily.LOCAL_INTENSITY,
            FeatureFamily.INTENSITY_STATISTICS, FeatureFamily.INTENSITY_HISTOGRAM, FeatureFamily.GLCM,
            FeatureFamily.GLRLM, FeatureFamily.GLSZM, FeatureFamily.GLDZM, FeatureFamily.NGTDM, FeatureFamily.NGLDM,
            FeatureFamily.INTENSITY_VOLUME_HISTOGRAM);

    private Families() {
    }

    /**
     * @param roi    processed image (the morphology and intensity families)
     * @param levels its discretisation (histogram and texture families)
     * @param ivh    its IVH discretisation
     */
    static FeatureList compute(FeatureFamily family, RoiImage roi, DiscretisedImage levels, DiscretisedImage ivh,
                               TextureSettings t) {
        return switch (family) {
            case MORPHOLOGY -> MorphologyFeatures.compute(roi);
            case LOCAL_INTENSITY -> LocalIntensity.compute(roi);
            case INTENSITY_STATISTICS -> IntensityStatistics.compute(roi);
            case INTENSITY_HISTOGRAM -> IntensityHistogram.compute(levels);
            case INTENSITY_VOLUME_HISTOGRAM -> IntensityVolumeHistogram.compute(ivh);
            case GLCM -> GlcmFeatures.compute(levels, t.glcmDistance());
            case GLRLM -> GlrlmFeatures.compute(levels);
            case GLSZM -> GlszmFeatures.compute(levels);
            case GLDZM -> GldzmFeatures.compute(levels, roi.morphologicalMask());
            case NGTDM -> NgtdmFeatures.compute(levels, t.ngtdmDistance());
            case NGLDM -> NgldmFeatures.compute(levels, t.ngldmAlpha(), t.ngldmDistance());
        };
    }
}
