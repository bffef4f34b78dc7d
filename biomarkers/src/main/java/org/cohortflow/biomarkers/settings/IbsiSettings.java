package org.cohortflow.biomarkers.settings;

import java.util.Objects;
import java.util.Optional;
import org.cohortflow.biomarkers.processing.Discretisation;

/**
 * Everything that determines IBSI feature values besides the image and mask.
 *
 * @param resampling        resampling, or {@code null} to keep the grid
 * @param resegmentation    intensity-mask re-segmentation
 * @param discretisation    discretisation for the histogram and texture families
 * @param ivhDiscretisation discretisation for the intensity-volume histogram
 * @param texture           texture matrix parameters
 */
public record IbsiSettings(Resampling resampling, Resegmentation resegmentation, Discretisation discretisation,
                           Discretisation ivhDiscretisation, TextureSettings texture) {

    public IbsiSettings {
        Objects.requireNonNull(resegmentation, "resegmentation");
        Objects.requireNonNull(discretisation, "discretisation");
        Objects.requireNonNull(ivhDiscretisation, "ivh");
        Objects.requireNonNull(texture, "texture");
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
