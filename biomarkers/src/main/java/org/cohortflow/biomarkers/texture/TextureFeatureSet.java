package org.cohortflow.biomarkers.texture;

import java.util.List;
import org.cohortflow.biomarkers.feature.FeatureDefinition;

/** The features of one texture family computed from one (possibly merged) matrix. */
public interface TextureFeatureSet {

    /** @return the features, in the order {@link #compute} returns their values */
    List<FeatureDefinition> definitions();

    /** @return one value per definition; non-finite values mean undefined */
    double[] compute(TextureMatrix matrix);
}
