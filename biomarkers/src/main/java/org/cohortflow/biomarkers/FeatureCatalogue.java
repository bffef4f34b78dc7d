package org.cohortflow.biomarkers;

import java.util.ArrayList;
import java.util.List;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.feature.FeatureDefinition;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.intensity.IntensityHistogram;
import org.cohortflow.biomarkers.intensity.IntensityStatistics;
import org.cohortflow.biomarkers.intensity.IntensityVolumeHistogram;
import org.cohortflow.biomarkers.intensity.LocalIntensity;
import org.cohortflow.biomarkers.morphology.MorphologyFeatures;
import org.cohortflow.biomarkers.texture.gldzm.GldzmFeatures;
import org.cohortflow.biomarkers.texture.glcm.GlcmFeatures;
import org.cohortflow.biomarkers.texture.glrlm.GlrlmFeatures;
import org.cohortflow.biomarkers.texture.glszm.GlszmFeatures;
import org.cohortflow.biomarkers.texture.ngldm.NgldmFeatures;
import org.cohortflow.biomarkers.texture.ngtdm.NgtdmFeatures;

/** The features and aggregations each family reports, independent of any image. */
public final class FeatureCatalogue {
    private static final List<Aggregation> DIRECTIONAL = List.of(Aggregation.SLICE_DIRECTION_AVERAGED_2D,
            Aggregation.SLICE_MERGED_2D, Aggregation.DIRECTION_MERGED_2_5D, Aggregation.FULLY_MERGED_2_5D,
            Aggregation.DIRECTION_AVERAGED_3D, Aggregation.MERGED_3D);
    private static final List<Aggregation> DIRECTION_FREE = List.of(Aggregation.AVERAGED_2D,
            Aggregation.MERGED_2_5D, Aggregation.VOLUME_3D);

    private FeatureCatalogue() {
    }

    /** @return the family's feature definitions in output order */
    public static List<FeatureDefinition> definitions(FeatureFamily family) {
        return switch (family) {
            case MORPHOLOGY -> MorphologyFeatures.featureDefinitions();
            case LOCAL_INTENSITY -> LocalIntensity.featureDefinitions();
            case INTENSITY_STATISTICS -> IntensityStatistics.featureDefinitions();
            case INTENSITY_HISTOGRAM -> IntensityHistogram.featureDefinitions();
            case INTENSITY_VOLUME_HISTOGRAM -> IntensityVolumeHistogram.featureDefinitions();
            case GLCM -> GlcmFeatures.featureDefinitions();
            case GLRLM -> GlrlmFeatures.featureDefinitions();
            case GLSZM -> GlszmFeatures.featureDefinitions();
            case GLDZM -> GldzmFeatures.featureDefinitions();
            case NGTDM -> NgtdmFeatures.featureDefinitions();
            case NGLDM -> NgldmFeatures.featureDefinitions();
        };
    }

    /** @return the aggregations the family is reported with */
    public static List<Aggregation> aggregations(FeatureFamily family) {
        return switch (family) {
            case GLCM, GLRLM -> DIRECTIONAL;
            case GLSZM, GLDZM, NGTDM, NGLDM -> DIRECTION_FREE;
            default -> List.of(Aggregation.FEATURE_3D);
        };
    }

    /** @return every feature of the family as NaN with the given reason, in output order */
    public static List<Feature> undefined(FeatureFamily family, String reason) {
        List<Feature> out = new ArrayList<>();
        for (Aggregation a : aggregations(family)) {
            for (FeatureDefinition d : definitions(family)) {
                out.add(new Feature(family, d.name(), d.ibsiCode(), a, Double.NaN, reason));
            }
        }
        return out;
    }
}
