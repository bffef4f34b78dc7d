package org.cohortflow.biomarkers.settings;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.filter.ImageFilter;
import org.cohortflow.biomarkers.processing.Discretisation;

/**
 * The {@code filters} section of the settings: IBSI 2 filters whose response maps get their own feature
 * families, computed over the ROI after resampling, re-segmentation and filtering of the whole image (IBSI 2's
 * order). Each feature is named after its filter ({@link ImageFilter#name()}).
 *
 * @param filters        the filters, in output order (none: no response maps)
 * @param families       the families computed on each response map; never morphology, which does not depend
 *                       on the filtered intensities
 * @param discretisation the discretisation of response maps for the histogram, IVH and texture families
 *                       (a response map has other units than the image, so the image's bins do not apply)
 */
public record ResponseMapSettings(List<ImageFilter> filters, Set<FeatureFamily> families, Discretisation discretisation) {

    public ResponseMapSettings {
        filters = List.copyOf(filters);
        Objects.requireNonNull(discretisation, "filters.discretisation");
        if (families.contains(FeatureFamily.MORPHOLOGY)) {
            throw new IllegalArgumentException("filters.families: morph is computed from the mask, not from a response map");
        }
        if (!filters.isEmpty() && families.isEmpty()) {
            throw new IllegalArgumentException("filters.families must name at least one family");
        }
        families = families.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(families));
    }

    /** No filters. */
    public static ResponseMapSettings none() {
        return new ResponseMapSettings(List.of(), Set.of(), Discretisation.none());
    }

    /** @return whether any response map is computed */
    public boolean any() {
        return !filters.isEmpty();
    }
}
