package org.cohortflow.biomarkers.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.cohortflow.biomarkers.adapter.ImagingAdapter;
import org.cohortflow.biomarkers.filter.FilterImage;
import org.cohortflow.biomarkers.filter.FilteredIntensityFeatures;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.imaging.Mask;
import org.cohortflow.biomarkers.filter.FilterSpec;
import org.cohortflow.biomarkers.filter.ImageFilter;
import org.cohortflow.dsl.tool.InputPort;
import org.cohortflow.dsl.tool.OutputPort;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolProvider;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.pipeline.ImagingTypes;

/** IBSI 2 convolutional filters as pipeline tools: an image in, its response map (same grid, float) out. */
public final class FilterTools implements ToolProvider {

    public static final InputPort<Volume> IMAGE = InputPort.of("image", ImagingTypes.VOLUME).describedAs("the image to filter");
    public static final InputPort<JsonNode> FILTER = InputPort.of("filter", BuiltinTypes.JSON_VALUE)
            .describedAs("the filter, e.g. {\"type\": \"log\", \"sigma_mm\": 3, \"boundary\": \"mirror\"} (see FilterSpec)");
    public static final OutputPort<Volume> RESPONSE = OutputPort.of("response", ImagingTypes.VOLUME)
            .describedAs("the response map on the image's grid (a decimated wavelet's: coarser, same first voxel), float voxels");

    /** {@code biomarkers/Filter:1}: one IBSI 2 filter applied to one image. */
    public static final ToolDefinition FILTER_TOOL = ToolDefinition.java("biomarkers/Filter:1")
            .description("IBSI 2 convolutional filter (mean, LoG, Laws, Gabor, separable wavelet, Simoncelli): image -> response map")
            .input(IMAGE).input(FILTER).output(RESPONSE)
            .runs(ctx -> {
                ImageFilter filter = FilterSpec.parse(ctx.input(FILTER));
                Volume image = ctx.input(IMAGE);
                ctx.output(RESPONSE, filter.apply(FilterImage.of(image)).toVolumeOn(image.geometry()));
            });

    /**
     * {@code biomarkers/FilteredIntensity:1}: intensity statistics of a filter's response map over the ROI, in
     * IBSI 2's order (resampling, re-segmentation, filtering, features), each feature named after the filter.
     */
    public static final ToolDefinition FILTERED_INTENSITY = ToolDefinition.java("biomarkers/FilteredIntensity:1")
            .description("IBSI 2: intensity statistics of a filter's response map over the ROI, named after the filter")
            .input(IMAGE).input(BiomarkerTools.MASK).input(FILTER).input(BiomarkerTools.SETTINGS).input(BiomarkerTools.ROI)
            .output(BiomarkerTools.FEATURES)
            .runs(ctx -> {
                BiomarkerTypes.SettingsFile file = ctx.input(BiomarkerTools.SETTINGS);
                IbsiSettings settings = file == null ? IbsiSettings.digitalPhantom() : SettingsParser.read(file.localPath());
                Volume image = ctx.input(IMAGE);
                Mask mask = ctx.input(BiomarkerTools.MASK);
                mask.requireSameGrid(image.geometry(), Mask.GRID_TOLERANCE_MM, null);
                ImageFilter filter = FilterSpec.parse(ctx.input(FILTER));
                ctx.output(BiomarkerTools.FEATURES, new FeatureTable().add(ctx.sampleId(), ctx.input(BiomarkerTools.ROI),
                        FilteredIntensityFeatures.compute(ImagingAdapter.toRoiImage(image, mask), settings, filter)));
            });

    @Override
    public List<ToolDefinition> tools() {
        return List.of(FILTER_TOOL, FILTERED_INTENSITY);
    }
}
