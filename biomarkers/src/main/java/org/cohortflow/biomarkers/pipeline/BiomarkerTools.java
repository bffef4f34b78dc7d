package org.cohortflow.biomarkers.pipeline;

import java.nio.file.Path;
import java.util.List;
import org.cohortflow.biomarkers.FeatureExtractor;
import org.cohortflow.biomarkers.adapter.ImagingAdapter;
import org.cohortflow.biomarkers.memory.MemoryEstimate;
import org.cohortflow.biomarkers.memory.RoiFootprint;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.PyRadiomicsParams;
import org.cohortflow.biomarkers.table.PyRadiomicsCsvWriter;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.cohortflow.biomarkers.table.FeatureRow;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.biomarkers.table.JsonFeatureWriter;
import org.cohortflow.biomarkers.table.WideCsvFeatureWriter;
import org.cohortflow.dsl.tool.Cardinality;
import org.cohortflow.dsl.tool.InputPort;
import org.cohortflow.dsl.tool.OutputPort;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolProvider;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.pipeline.ImagingTypes;

/** IBSI feature extraction and feature-table handling as pipeline tools. */
public final class BiomarkerTools implements ToolProvider {

    public static final InputPort<Volume> IMAGE = InputPort.of("image", ImagingTypes.VOLUME).describedAs("the image");
    public static final InputPort<Mask> MASK = InputPort.of("mask", ImagingTypes.MASK)
            .describedAs("the region of interest, on the image's grid");
    public static final InputPort<BiomarkerTypes.SettingsFile> SETTINGS = InputPort.of("settings", BiomarkerTypes.SETTINGS)
            .optional().describedAs("IBSI settings; without it: no resampling, re-segmentation or discretisation");
    public static final InputPort<String> ROI = InputPort.of("roi", BuiltinTypes.STRING).withDefault("roi")
            .describedAs("ROI name for the table's roi column");
    public static final OutputPort<FeatureTable> FEATURES = OutputPort.of("features", BiomarkerTypes.FEATURE_TABLE)
            .describedAs("one row per feature and aggregation; NaN with a reason where undefined");

    /**
     * {@code biomarkers/Ibsi:1}: the whole IBSI chain for one image and ROI. Settings this JVM has not the memory
     * for (say, a tiny resampling spacing) are refused before anything is allocated ({@link MemoryEstimate}).
     */
    public static final ToolDefinition IBSI = ToolDefinition.java("biomarkers/Ibsi:1")
            .description("IBSI-1 image processing and the chosen feature families for one image and ROI, and on the response maps of the settings' filters (IBSI 2)")
            .input(IMAGE).input(MASK).input(SETTINGS).input(ROI).output(FEATURES)
            .runs(ctx -> {
                BiomarkerTypes.SettingsFile file = ctx.input(SETTINGS);
                IbsiSettings settings = file == null ? IbsiSettings.digitalPhantom() : SettingsParser.read(file.localPath());
                Volume image = ctx.input(IMAGE);
                Mask mask = ctx.input(MASK);
                mask.requireSameGrid(image.geometry(), Mask.GRID_TOLERANCE_MM, null);
                MemoryEstimate.of(RoiFootprint.of(image, mask), settings).requireAtMost(Runtime.getRuntime().maxMemory(),
                        "sample '" + ctx.sampleId() + "' with settings " + (file == null ? "(none)"
                                : java.nio.file.Path.of(file.uri().getPath()).getFileName()));
                ctx.output(FEATURES, new FeatureTable().add(ctx.sampleId(), ctx.input(ROI),
                        new FeatureExtractor(settings).extract(ImagingAdapter.toRoiImage(image, mask))));
            });

    public static final InputPort<FeatureTable> TABLES = InputPort.of("tables", BiomarkerTypes.FEATURE_TABLE)
            .cardinality(Cardinality.ONE_OR_MORE).describedAs("tables to concatenate, e.g. a collapse over subjects");
    public static final OutputPort<FeatureTable> TABLE = OutputPort.of("table", BiomarkerTypes.FEATURE_TABLE)
            .describedAs("all rows, in input order");

    /** {@code biomarkers/MergeFeatureTables:1}: a cohort table from per-subject tables. */
    public static final ToolDefinition MERGE = ToolDefinition.java("biomarkers/MergeFeatureTables:1")
            .description("concatenates feature tables into one (a cohort table)")
            .input(TABLES).output(TABLE)
            .runs(ctx -> {
                FeatureTable all = new FeatureTable();
                for (FeatureTable t : ctx.inputs(TABLES)) {
                    for (FeatureRow r : t.rows()) {
                        all.add(r.sample(), r.roi(), List.of(r.feature()));
                    }
                }
                ctx.output(TABLE, all);
            });

    public static final InputPort<FeatureTable> TABLE_IN = InputPort.of("table", BiomarkerTypes.FEATURE_TABLE)
            .describedAs("the table to write");
    public static final OutputPort<BuiltinTypes.JsonFile> JSON = OutputPort.of("json", BuiltinTypes.JSON_FILE)
            .describedAs("{\"samples\": [{\"sample\", \"roi\", \"features\": [...]}]}; undefined values are null with a reason");

    /** {@code biomarkers/FeatureTableJson:1}: a feature table as a JSON document (e.g. one per subject). */
    public static final ToolDefinition TO_JSON = ToolDefinition.java("biomarkers/FeatureTableJson:1")
            .description("writes a feature table as JSON, grouped by sample and ROI")
            .input(TABLE_IN).output(JSON)
            .runs(ctx -> {
                Path out = ctx.workDir().resolve("features.json");
                JsonFeatureWriter.write(ctx.input(TABLE_IN), out);
                ctx.output(JSON, new BuiltinTypes.JsonFile(out.toUri()));
            });

    public static final OutputPort<BuiltinTypes.CsvFile> WIDE_CSV = OutputPort.of("csv", BuiltinTypes.CSV_FILE)
            .describedAs("one row per sample and ROI, one column per feature named from IBSI codes (e.g. cm_NI2N_BTW3)");

    /** {@code biomarkers/FeatureTableWideCsv:1}: a feature table wide, for pandas or R. */
    public static final ToolDefinition TO_WIDE_CSV = ToolDefinition.java("biomarkers/FeatureTableWideCsv:1")
            .description("writes a feature table as wide CSV: one row per sample and ROI, one column per feature")
            .input(TABLE_IN).output(WIDE_CSV)
            .runs(ctx -> {
                Path out = ctx.workDir().resolve("features-wide.csv");
                WideCsvFeatureWriter.write(ctx.input(TABLE_IN), out);
                ctx.output(WIDE_CSV, new BuiltinTypes.CsvFile(out.toUri()));
            });

    public static final InputPort<BiomarkerTypes.SettingsFile> PYRADIOMICS_PARAMS = InputPort.of("params", BiomarkerTypes.SETTINGS)
            .describedAs("the PyRadiomics parameter file the table was computed with");
    public static final OutputPort<BuiltinTypes.CsvFile> PYRADIOMICS_CSV = OutputPort.of("csv", BuiltinTypes.CSV_FILE)
            .describedAs("one row per sample and ROI, one column per feature named as PyRadiomics names it (original_firstorder_Mean)");

    /** {@code biomarkers/FeatureTablePyRadiomicsCsv:1}: a feature table wide, with PyRadiomics' column names. */
    public static final ToolDefinition TO_PYRADIOMICS_CSV = ToolDefinition.java("biomarkers/FeatureTablePyRadiomicsCsv:1")
            .description("writes a feature table computed with a PyRadiomics parameter file wide, with PyRadiomics' column names")
            .input(TABLE_IN).input(PYRADIOMICS_PARAMS).output(PYRADIOMICS_CSV)
            .runs(ctx -> {
                Path out = ctx.workDir().resolve("features-pyradiomics.csv");
                PyRadiomicsCsvWriter.write(ctx.input(TABLE_IN), PyRadiomicsParams.read(ctx.input(PYRADIOMICS_PARAMS).localPath()), out);
                ctx.output(PYRADIOMICS_CSV, new BuiltinTypes.CsvFile(out.toUri()));
            });

    @Override
    public List<ToolDefinition> tools() {
        return List.of(IBSI, MERGE, TO_JSON, TO_WIDE_CSV, TO_PYRADIOMICS_CSV);
    }
}
