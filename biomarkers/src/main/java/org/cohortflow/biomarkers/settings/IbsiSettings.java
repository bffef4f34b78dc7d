package org.cohortflow.biomarkers.settings;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.processing.Discretisation;

/**
 * Everything that determines IBSI feature values besides the image and mask.
 *
 * @param resampling        resampling, or {@code null} to keep the grid
 * @param resegmentation    intensity-mask re-segmentation
 * @param discretisation    discretisation for the histogram and texture families
 * @param ivhDiscretisation discretisation for the intensity-volume histogram
 * @param texture           texture matrix parameters
 * @param families          the feature families to compute on the image (not empty), in any order; output keeps
 *                          IBSI's order
 * @param responseMaps      IBSI 2 filters and the families computed on their response maps (after the image's)
 */
public record IbsiSettings(Resampling resampling, Resegmentation resegmentation, Discretisation discretisation,
                           Discretisation ivhDiscretisation, TextureSettings texture, Set<FeatureFamily> families,
                           ResponseMapSettings responseMaps) {

    public IbsiSettings {
        Objects.requireNonNull(resegmentation, "resegmentation");
        Objects.requireNonNull(discretisation, "discretisation");
        Objects.requireNonNull(ivhDiscretisation, "ivh");
        Objects.requireNonNull(texture, "texture");
        Objects.requireNonNull(families, "families");
        Objects.requireNonNull(responseMaps, "filters");
        // Only response maps (PyRadiomics' imageType without Original) may leave the image's own families out.
        if (families.isEmpty() && !responseMaps.any()) throw new IllegalArgumentException("families must name at least one family");
        families = families.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(families));
    }

    /** Settings without filters. */
    public IbsiSettings(Resampling resampling, Resegmentation resegmentation, Discretisation discretisation,
                        Discretisation ivhDiscretisation, TextureSettings texture, Set<FeatureFamily> families) {
        this(resampling, resegmentation, discretisation, ivhDiscretisation, texture, families, ResponseMapSettings.none());
    }

    /** Settings computing every family. */
    public IbsiSettings(Resampling resampling, Resegmentation resegmentation, Discretisation discretisation,
                        Discretisation ivhDiscretisation, TextureSettings texture) {
        this(resampling, resegmentation, discretisation, ivhDiscretisation, texture, EnumSet.allOf(FeatureFamily.class));
    }

    /** @return whether {@code family} is computed */
    public boolean computes(FeatureFamily family) {
        return families.contains(family);
    }

    /** @return whether any family needing the texture/histogram discretisation is computed */
    public boolean needsDiscretisation() {
        for (FeatureFamily f : families) {
            if (f != FeatureFamily.MORPHOLOGY && f != FeatureFamily.LOCAL_INTENSITY
                    && f != FeatureFamily.INTENSITY_STATISTICS && f != FeatureFamily.INTENSITY_VOLUME_HISTOGRAM) {
                return true;
            }
        }
        return false;
    }

    /** @return the IBSI digital phantom's settings: no resampling or re-segmentation, no discretisation */
    public static IbsiSettings digitalPhantom() {
        return new IbsiSettings(null, Resegmentation.none(), Discretisation.none(), Discretisation.none(),
                TextureSettings.defaults());
    }

    /** @return the resampling, if any */
    public Optional<Resampling> resamplingIfAny() {
        return Optional.ofNullable(resampling);
    }
}
