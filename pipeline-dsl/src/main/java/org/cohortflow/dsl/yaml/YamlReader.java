package org.cohortflow.dsl.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads YAML text into a {@link YamlNode} tree with positions. */
public final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlReader() {}

    /** Reads a file; the file name is used in every location. */
    public static YamlNode read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidDefinitionException(
                    new Problem(Location.described(file.toString()), "cannot read file: " + e.getMessage()));
        }
        return read(text, file.toString());
    }

    /**
     * Parses YAML text. Syntax errors become an {@link InvalidDefinitionException} located at the
     * offending position.
     */
    public static YamlNode read(String text, String sourceName) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new InvalidDefinitionException(
                        new Problem(new Location(sourceName, 1, 1), "the file is empty"));
            }
            return node(p, sourceName);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            Location where = l == null ? Location.described(sourceName)
                    : new Location(sourceName, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
            throw new InvalidDefinitionException(new Problem(where, "invalid YAML: " + summary(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SnakeYAML's messages quote the offending text with a caret over several lines; our location
     * already points there, so keep only the sentences.
     */
    private static String summary(String message) {
        return String.join("; ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .toList());
    }

    private static YamlNode node(JsonParser p, String source) throws IOException {
        Location at = location(p, source);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, YamlNode.Mapping.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = location(p, source);
                    p.nextToken();
                    YamlNode value = node(p, source);
                    if (entries.containsKey(key)) {
                        throw new InvalidDefinitionException(new Problem(keyAt, "duplicate key '" + key + "'"));
                    }
                    entries.put(key, new YamlNode.Mapping.Entry(key, keyAt, value));
                }
                return new YamlNode.Mapping(entries, at);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, source));
                }
                return new YamlNode.Sequence(items, at);
            }
            case VALUE_NULL:
                return new YamlNode.Scalar(null, at);
            default:
                return new YamlNode.Scalar(p.getText(), at);
        }
    }

    private static Location location(JsonParser p, String source) {
        JsonLocation l = p.currentTokenLocation();
        return new Location(source, l.getLineNr(), l.getColumnNr());
    }
}
