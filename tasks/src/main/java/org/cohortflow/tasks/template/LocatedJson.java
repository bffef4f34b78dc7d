package org.cohortflow.tasks.template;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON tree read from YAML or JSON text (YAML is a superset of JSON, so one reader takes both) together
 * with the position of every value, keyed by dotted path ({@code form.properties.grade}, {@code images[0]}).
 * Jackson's own trees forget positions; problems found later need them to say FILE:LINE:COL.
 */
final class LocatedJson {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode root;
    private final Map<String, SourceLocation> positions;
    private final String source;

    private LocatedJson(JsonNode root, Map<String, SourceLocation> positions, String source) {
        this.root = root;
        this.positions = positions;
        this.source = source;
    }

    /** Parses {@code text}; a syntax error becomes an {@link InvalidTemplateException} at its position. */
    static LocatedJson parse(String text, String source) {
        Map<String, SourceLocation> positions = new HashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            if (p.nextToken() == null) {
                throw new InvalidTemplateException(List.of(
                        new TemplateProblem(new SourceLocation(source, 1, 1), "", "the template is empty")));
            }
            JsonNode root = read(p, "", positions, source);
            return new LocatedJson(root, positions, source);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            SourceLocation where = l == null ? new SourceLocation(source, 1, 1)
                    : new SourceLocation(source, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
            throw new InvalidTemplateException(List.of(new TemplateProblem(where, "", "not valid YAML or JSON: "
                    + e.getOriginalMessage().lines().filter(s -> !s.isBlank()).findFirst().orElse("syntax error"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(JsonParser p, String path, Map<String, SourceLocation> positions, String source)
            throws IOException {
        JsonLocation l = p.currentTokenLocation();
        positions.put(path, new SourceLocation(source, l.getLineNr(), l.getColumnNr()));
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    String child = path.isEmpty() ? key : path + "." + key;
                    JsonLocation k = p.currentTokenLocation();
                    SourceLocation keyAt = new SourceLocation(source, k.getLineNr(), k.getColumnNr());
                    if (object.has(key)) {
                        throw new InvalidTemplateException(List.of(new TemplateProblem(keyAt, child, "duplicate key")));
                    }
                    p.nextToken();
                    object.set(key, read(p, child, positions, source));
                    // a problem with a key (unknown, misspelt) points at the key rather than its value
                    positions.put(child + "#key", keyAt);
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(p, path + "[" + i++ + "]", positions, source));
                }
                return array;
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(p.getBooleanValue());
            }
            case VALUE_NUMBER_INT -> {
                return NODES.numberNode(p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDecimalValue());
            }
            default -> {
                return NODES.textNode(p.getText());
            }
        }
    }

    JsonNode root() {
        return root;
    }

    String source() {
        return source;
    }

    /** Where the value at {@code path} is; the nearest enclosing value when that path has no value. */
    SourceLocation at(String path) {
        for (String p = path; ; p = parent(p)) {
            SourceLocation l = positions.get(p);
            if (l != null) return l;
            if (p.isEmpty()) return new SourceLocation(source, 1, 1);
        }
    }

    /** Where the key of the member at {@code path} is written. */
    SourceLocation keyAt(String path) {
        SourceLocation l = positions.get(path + "#key");
        return l != null ? l : at(path);
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
