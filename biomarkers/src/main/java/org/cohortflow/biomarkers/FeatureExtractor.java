package org.cohortflow.biomarkers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.filter.FilteredIntensityFeatures;
import org.cohortflow.biomarkers.filter.ImageFilter;
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
import org.cohortflow.biomarkers.settings.Resegmentation;
import org.cohortflow.biomarkers.settings.ResponseMapSettings;
import org.cohortflow.biomarkers.texture.gldzm.GldzmFeatures;
import org.cohortflow.biomarkers.texture.glcm.GlcmFeatures;
import org.cohortflow.biomarkers.texture.glrlm.GlrlmFeatures;
import org.cohortflow.biomarkers.texture.glszm.GlszmFeatures;
import org.cohortflow.biomarkers.texture.ngldm.NgldmFeatures;
import org.cohortflow.biomarkers.texture.ngtdm.NgtdmFeatures;

/**
 * The IBSI-1 chain for one image and ROI: resampling, rounding, re-segmentation, cropping to the
 * ROI, discretisation and the feature families the settings select (all eleven by default); then, when the
 * settings list filters, the families they choose on each filter's response map (IBSI 2).
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

    /** Computes every feature for one image and ROI, one family after the other on the calling thread. */
    public List<Feature> extract(RoiImage image) {
        return extract(image, Runnable::run);
    }

    /**
     * Computes every feature for one image and ROI, running the feature families as independent tasks on
     * {@code executor} (image processing and discretisation run first, on the calling thread). The result
     * is the same as {@link #extract(RoiImage)}, in the same order. Worth it for a single large case;
     * when many cases run side by side (a Spark stage, a thread pool over a cohort) the sequential form
     * already keeps the cores busy.
     */
    public List<Feature> extract(RoiImage image, Executor executor) {
        List<Feature> out = new ArrayList<>();
        // No families of the image itself (a PyRadiomics file without Original): only response maps.
        if (!settings.families().isEmpty()) {
            RoiImage roi = process(image);
            List<CompletableFuture<List<Feature>>> parts = families(roi, settings.families(),
                    withLowerBound(settings.discretisation()), withLowerBound(settings.ivhDiscretisation()),
                    settings.resegmentation(), executor);
            for (CompletableFuture<List<Feature>> p : parts) out.addAll(p.join());
        }
        if (settings.responseMaps().any()) out.addAll(responseMapFeatures(image, executor));
        return out;
    }

    /**
     * The features of the settings' response maps (its {@code filters} section), in IBSI 2's order: the whole
     * image resampled and re-segmented as for the image's own features ({@link FilteredIntensityFeatures#processWhole}),
     * each filter applied to it, then the chosen families over the (re-segmented) ROI of each response map. Each
     * feature's name starts with its filter's, e.g. {@code log_3D_s3mm_d4_mirror/Mean intensity}.
     */
    public List<Feature> responseMapFeatures(RoiImage image, Executor executor) {
        ResponseMapSettings maps = settings.responseMaps();
        if (!maps.any()) return List.of();
        RoiImage whole = FilteredIntensityFeatures.processWhole(image, settings);
        int[] margin = new int[3];
        for (int a = 0; a < 3; a++) margin[a] = (int) Math.ceil(LocalIntensity.sphereRadiusMm() / whole.spacing(a));
        List<Feature> out = new ArrayList<>();
        for (ImageFilter filter : maps.filters()) {
            RoiImage response = FilteredIntensityFeatures.responseMap(whole, filter).cropToRoi(margin);
            // A response map's units are the filter's: its bins come from the filters section, with no range.
            List<CompletableFuture<List<Feature>>> parts = families(response, maps.families(), maps.discretisation(),
                    maps.discretisation(), Resegmentation.none(), executor);
            for (CompletableFuture<List<Feature>> p : parts) {
                for (Feature x : p.join()) out.add(FilteredIntensityFeatures.named(filter, x));
            }
        }
        return out;
    }

    /** The {@code families} of {@code roi}, each a task on {@code executor}, in IBSI's order. */
    private List<CompletableFuture<List<Feature>>> families(RoiImage roi, Set<FeatureFamily> families,
                                                            Discretisation discretisation, Discretisation ivhDiscretisation,
                                                            Resegmentation resegmentation, Executor executor) {
        List<CompletableFuture<List<Feature>>> parts = new ArrayList<>();
        // Morphology (mesh, hull, Moran's I) is usually the slowest family, so it starts first.
        if (families.contains(FeatureFamily.MORPHOLOGY)) {
            parts.add(submit(executor, FeatureFamily.MORPHOLOGY, () -> MorphologyFeatures.compute(roi)));
        }
        if (families.contains(FeatureFamily.LOCAL_INTENSITY)) {
            parts.add(submit(executor, FeatureFamily.LOCAL_INTENSITY, () -> LocalIntensity.compute(roi)));
        }
        if (families.contains(FeatureFamily.INTENSITY_STATISTICS)) {
            parts.add(submit(executor, FeatureFamily.INTENSITY_STATISTICS, () -> IntensityStatistics.compute(roi)));
        }
        DiscretisedImage levels = null;
        if (DISCRETISED.stream().anyMatch(families::contains)) {
            try {
                levels = Discretiser.apply(roi, discretisation);
            } catch (RuntimeException e) {
                parts.add(CompletableFuture.completedFuture(failedFamilies(e, DISCRETISED.stream()
                        .filter(families::contains).toArray(FeatureFamily[]::new))));
            }
        }
        if (levels != null) {
            DiscretisedImage d = levels;
            var t = settings.texture();
            addIfComputed(parts, families, executor, FeatureFamily.INTENSITY_HISTOGRAM, () -> IntensityHistogram.compute(d));
            addIfComputed(parts, families, executor, FeatureFamily.GLCM, () -> GlcmFeatures.compute(d, t.glcmDistance()));
            addIfComputed(parts, families, executor, FeatureFamily.GLRLM, () -> GlrlmFeatures.compute(d));
            addIfComputed(parts, families, executor, FeatureFamily.GLSZM, () -> GlszmFeatures.compute(d));
            addIfComputed(parts, families, executor, FeatureFamily.GLDZM, () -> GldzmFeatures.compute(d, roi.morphologicalMask()));
            addIfComputed(parts, families, executor, FeatureFamily.NGTDM, () -> NgtdmFeatures.compute(d, t.ngtdmDistance()));
            addIfComputed(parts, families, executor, FeatureFamily.NGLDM, () -> NgldmFeatures.compute(d, t.ngldmAlpha(), t.ngldmDistance()));
        }
        // The IVH discretises on its own: its intensities stay in the image's units (IBSI 4.5).
        if (families.contains(FeatureFamily.INTENSITY_VOLUME_HISTOGRAM)) {
            parts.add(submit(executor, FeatureFamily.INTENSITY_VOLUME_HISTOGRAM,
                    () -> IntensityVolumeHistogram.compute(roi, ivhDiscretisation, resegmentation)));
        }
        return parts;
    }

    /** The families computed on the texture/histogram discretisation, in output order. */
    private static final List<FeatureFamily> DISCRETISED = List.of(FeatureFamily.INTENSITY_HISTOGRAM, FeatureFamily.GLCM,
            FeatureFamily.GLRLM, FeatureFamily.GLSZM, FeatureFamily.GLDZM, FeatureFamily.NGTDM, FeatureFamily.NGLDM);

    private static void addIfComputed(List<CompletableFuture<List<Feature>>> parts, Set<FeatureFamily> families,
                                      Executor executor, FeatureFamily family, Supplier<FeatureList> computation) {
        if (families.contains(family)) parts.add(submit(executor, family, computation));
    }

    private static CompletableFuture<List<Feature>> submit(Executor executor, FeatureFamily family, Supplier<FeatureList> computation) {
        return CompletableFuture.supplyAsync(() -> family(family, computation), executor);
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
