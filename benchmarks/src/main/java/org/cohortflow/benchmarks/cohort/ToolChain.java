package org.cohortflow.benchmarks.cohort;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolId;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.ValueCodec;
import org.cohortflow.dsl.types.ValueType;

/**
 * The radiomics tool chain without a framework: per subject DICOM series -> volume, RTSTRUCT -> mask, IBSI
 * features; then one cohort table. Calls the tools' bodies directly on values in memory and times each
 * call, which is the time "inside tools" that the executor runs are compared against. Not thread-safe;
 * one instance per thread.
 */
final class ToolChain {
    static final String VOLUME = "imaging/DicomToVolume:1";
    static final String MASK = "imaging/RtStructToMask:1";
    static final String FEATURES = "biomarkers/Ibsi:1";
    static final String MERGE = "biomarkers/MergeFeatureTables:1";
    /** Optional: a JSON document per subject (examples/radiomics/dicom-ct.yaml has it). */
    static final String SUBJECT_JSON = "biomarkers/FeatureTableJson:1";
    /** Optional: the cohort table as Parquet (examples/radiomics/dicom-ct.yaml has it). */
    static final String PARQUET = "tables/ParquetWrite:1";
    /** In the order a subject passes through them. */
    static final List<String> TOOLS = List.of(VOLUME, MASK, FEATURES, SUBJECT_JSON, MERGE, PARQUET);

    /** One subject: where its series and its structure set are. */
    record Subject(String id, URI series, URI rtstruct) {}

    private final ToolRegistry registry;
    private final URI settings;
    private final String roi;
    private final Set<String> optional;

    /**
     * @param optional the optional steps ({@link #SUBJECT_JSON}, {@link #PARQUET}) to run, as the network does
     */
    ToolChain(ToolRegistry registry, URI settings, String roi, Set<String> optional) {
        this.registry = registry;
        this.settings = settings;
        this.roi = roi;
        this.optional = Set.copyOf(optional);
    }

    boolean runs(String tool) {
        return !tool.equals(SUBJECT_JSON) && !tool.equals(PARQUET) || optional.contains(tool);
    }

    /** One subject's feature table; adds each tool's milliseconds to {@code times}. */
    Object features(Subject s, Path work, Map<String, Double> times) throws Exception {
        Object volume = run(VOLUME, Map.of("series", List.of(file("DicomSeries", s.series()))), work, s.id(), times)
                .get("volume").get(0);
        Object mask = run(MASK, Map.of("rtstruct", List.of(file("RtStruct", s.rtstruct())),
                "series", List.of(file("DicomSeries", s.series())), "roi", List.of(roi)), work, s.id(), times)
                .get("mask").get(0);
        Object table = run(FEATURES, Map.of("image", List.of(volume), "mask", List.of(mask),
                "settings", List.of(file("IbsiSettings", settings)), "roi", List.of(roi)), work, s.id(), times)
                .get("features").get(0);
        if (optional.contains(SUBJECT_JSON)) {
            run(SUBJECT_JSON, Map.of("table", List.of(table)), work, s.id(), times);
        }
        return table;
    }

    /** The cohort table of the subjects' tables, in the order given. */
    Object merge(List<Object> tables, Path work, Map<String, Double> times) throws Exception {
        Object table = run(MERGE, Map.of("tables", tables), work, "all", times).get("table").get(0);
        if (optional.contains(PARQUET)) {
            run(PARQUET, Map.of("table", List.of(table)), work, "all", times);
        }
        return table;
    }

    /** Writes a value the way the executors store it (the codec of its data type). */
    void write(String type, Object value, Path file) throws IOException {
        codec(registry, type).write(value, file);
    }

    private Map<String, List<Object>> run(String toolId, Map<String, List<Object>> inputs, Path work, String sample,
                                          Map<String, Double> times) throws Exception {
        ToolDefinition tool = registry.find(ToolId.parse(toolId)).orElseThrow(
                () -> new IllegalStateException("tool " + toolId + " is not on the class path"));
        Path dir = Files.createDirectories(work.resolve(sample).resolve(tool.id().name()));
        long t0 = System.nanoTime();
        Map<String, List<Object>> out = new InMemoryToolContext(tool, inputs, dir, sample).run();
        times.merge(toolId, (System.nanoTime() - t0) / 1e6, Double::sum);
        return out;
    }

    private Object file(String type, URI uri) {
        return file(registry, type, uri);
    }

    /** The runtime value of a file-typed input (e.g. a {@code DicomSeriesDir}) for a URI. */
    static Object file(ToolRegistry registry, String type, URI uri) {
        DataType t = registry.types().find(type).orElseThrow(() -> new IllegalStateException("unknown type " + type));
        return ((FileType) t).factory().apply(uri);
    }

    /** How values of an object type are stored (a volume as NIfTI, a feature table as CSV). */
    static ValueCodec codec(ToolRegistry registry, String type) {
        DataType t = registry.types().find(type).orElseThrow(() -> new IllegalStateException("unknown type " + type));
        return ((ValueType) t).codec().orElseThrow(() -> new IllegalStateException("type " + type + " has no codec"));
    }
}
