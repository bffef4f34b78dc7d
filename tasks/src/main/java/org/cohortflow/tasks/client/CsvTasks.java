package org.cohortflow.tasks.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the rows of a cohort table (CSV with a header) into task creations: one task per row, e.g. one QC task
 * per subject. Image columns give paths (relative ones are taken from the CSV's folder) or URLs; every other
 * setting is the same for all rows.
 *
 * @param project        project of every task
 * @param template       template of every task
 * @param images         template image key -> CSV column holding its path or URL
 * @param subjectColumn  column naming the subject
 * @param experimentColumn column naming the experiment, or null
 * @param tags           tags of every task
 * @param readers        readers per task (double reading when 2)
 * @param callbackUrl    callback of every task, or null
 * @param callbackSecret its secret, or null
 */
public record CsvTasks(String project, String template, Map<String, String> images, String subjectColumn,
                       String experimentColumn, List<String> tags, int readers, String callbackUrl, String callbackSecret) {
    public CsvTasks {
        images = Map.copyOf(images);
        tags = List.copyOf(tags);
    }

    /**
     * The task bodies for every row of {@code csv}.
     *
     * @throws IllegalArgumentException naming the row (its line) and column when a value is missing
     */
    public List<JsonNode> rows(Path csv) throws IOException {
        CsvMapper mapper = new CsvMapper();
        ObjectMapper json = new ObjectMapper();
        Path folder = csv.toAbsolutePath().getParent();
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv.toFile())) {
            int line = 1;
            while (it.hasNextValue()) {
                Map<String, String> row = it.nextValue();
                line++;
                ObjectNode task = json.createObjectNode().put("project", project).put("template", template);
                ObjectNode content = task.putObject("content");
                content.put("subject", required(row, subjectColumn, csv, line));
                if (experimentColumn != null) content.put("experiment", required(row, experimentColumn, csv, line));
                ObjectNode imageUrls = content.putObject("images");
                Map<String, String> sorted = new LinkedHashMap<>(images);
                for (Map.Entry<String, String> e : sorted.entrySet()) {
                    String value = required(row, e.getValue(), csv, line);
                    imageUrls.put(e.getKey(), value.contains("://") ? value : folder.resolve(value).normalize().toString());
                }
                tags.forEach(task.putArray("tags")::add);
                if (readers > 1) task.put("readers", readers);
                if (callbackUrl != null) task.put("callbackUrl", callbackUrl).put("callbackSecret", callbackSecret);
                out.add(task);
            }
        }
        return out;
    }

    private static String required(Map<String, String> row, String column, Path csv, int line) {
        if (!row.containsKey(column)) {
            throw new IllegalArgumentException(csv + ":" + line + ": no column '" + column + "' (columns: "
                    + String.join(", ", row.keySet()) + ")");
        }
        String v = row.get(column);
        if (v == null || v.isBlank()) throw new IllegalArgumentException(csv + ":" + line + ": column '" + column + "' is empty");
        return v.trim();
    }
}
