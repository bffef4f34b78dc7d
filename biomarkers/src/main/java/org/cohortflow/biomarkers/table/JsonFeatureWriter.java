package org.cohortflow.biomarkers.table;

import org.cohortflow.dsl.io.AtomicFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cohortflow.biomarkers.feature.Feature;

/**
 * Writes a {@link FeatureTable} as JSON for programs that prefer documents to tables (web pages,
 * per-subject records): {@code {"samples": [{"sample", "roi", "features": [{"family", "feature",
 * "ibsi_code", "aggregation", "value", "reason"}]}]}}, one entry per sample and ROI in table order.
 * An undefined value is {@code null} with its reason (JSON has no NaN); a defined one has no reason.
 */
public final class JsonFeatureWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFeatureWriter() {}

    /** The JSON document of a table. */
    public static ObjectNode toJson(FeatureTable table) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode samples = root.putArray("samples");
        Map<String, ArrayNode> groups = new LinkedHashMap<>();
        for (FeatureRow r : table.rows()) {
            // The NUL separator cannot occur in sample ids or ROI names read from files or YAML.
            ArrayNode features = groups.computeIfAbsent(r.sample() + "\0" + r.roi(), k -> {
                ObjectNode g = samples.addObject();
                g.put("sample", r.sample());
                g.put("roi", r.roi());
                return g.putArray("features");
            });
            Feature f = r.feature();
            ObjectNode o = features.addObject();
            o.put("family", f.family().shortName());
            o.put("feature", f.name());
            o.put("ibsi_code", f.ibsiCode());
            o.put("aggregation", f.aggregation().label());
            if (f.isDefined()) {
                o.put("value", f.value());
            } else {
                o.putNull("value");
                o.put("reason", f.reason());
            }
        }
        return root;
    }

    /** Writes to a file atomically (temporary file, then rename). */
    public static void write(FeatureTable table, Path file) {
        try {
            AtomicFile.write(file, tmp -> JSON.writeValue(tmp.toFile(), toJson(table)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write feature table " + file, e);
        }
    }
}
